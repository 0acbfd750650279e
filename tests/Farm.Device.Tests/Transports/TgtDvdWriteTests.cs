using System.Runtime.InteropServices;
using Farm.Device.Mmc;
using Farm.Device.Transports.Iscsi;
using Farm.Device.Writing;
using Farm.Device.Transports;
using Farm.Testing;

namespace Farm.Device.Tests.Transports;

/// <summary>The whole DVD+R write path, through libiscsi, against tgt's MMC emulation: a drive nobody here wrote.</summary>
[Collection(TgtTestGroup.Name)]
[Trait("Category", "tgt")]
public sealed partial class TgtDvdWriteTests(TgtFixture tgt)
{
    private const int SigChld = 17; // asm-generic/signal.h
    private const int ImageBytes = 4 * 1024 * 1024;
    private const int MinimumCommands = 300;
    private const long MinimumSignals = 1000;
    private const int MaximumCommands = 200_000;

    private static readonly MmcDriveOptions FastPolling = new() { ReadyPollInterval = TimeSpan.FromMilliseconds(20), LongOperationLimit = TimeSpan.FromMinutes(2) };

    [Fact]
    public async Task The_inquiry_names_tgts_dvd_drive_and_the_disc_is_a_blank_dvd_plus_r()
    {
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.DvdUrl);
        var drive = new MmcDrive(transport, TimeProvider.System, FastPolling);

        await drive.WaitUntilReadyAsync(afterMediumChange: true, CancellationToken.None);
        var inquiry = await drive.InquiryAsync(CancellationToken.None);
        var profile = await drive.GetCurrentProfileAsync(CancellationToken.None);
        var disc = await drive.ReadDiscInformationAsync(CancellationToken.None);

        Assert.Equal("BURNFARM", inquiry.Vendor.Trim());
        Assert.Equal(Profile.DvdPlusR, profile);
        Assert.Equal(DiscStatus.Empty, disc.Status);
    }

    [Fact]
    public async Task An_image_burned_through_the_data_writer_is_on_the_disc_byte_for_byte()
    {
        await tgt.RestartAsync();
        using var folder = new TempDirectory("burnfarm-tgt-image");
        var imagePath = folder.PathOf("image.iso");
        var image = new byte[ImageBytes];
        new Random(20250101).NextBytes(image);
        await File.WriteAllBytesAsync(imagePath, image);

        await using var transport = IscsiTransport.Connect(tgt.DvdUrl);
        var drive = new MmcDrive(transport, TimeProvider.System, FastPolling);
        var writer = new DataWriter(drive, new DataWriterOptions { FifoBytes = 2 * 1024 * 1024 });

        var written = await writer.WriteAsync(ImageSource.Open(imagePath), progress: null, CancellationToken.None);
        var verified = await Verifier.ReadBackAsync(drive, written.StartLba, written.Blocks, written.ImageSha256, CancellationToken.None);

        Assert.Equal(Profile.DvdPlusR, written.Profile);
        Assert.Equal(ImageBytes / MmcDrive.BlockSize, written.Blocks);
        Assert.True(verified.Matches, $"read back {verified.DiscSha256}, image {written.ImageSha256}");

        // And from outside the SCSI path: the backing file tgt wrote is the image.
        var disc = await File.ReadAllBytesAsync(tgt.DvdBackingFile);
        Assert.True(disc.Length >= ImageBytes, $"the disc file has {disc.Length} bytes");
        Assert.True(disc.AsSpan(0, ImageBytes).SequenceEqual(image), "the disc's bytes differ from the image");
    }

    [Fact]
    public async Task Commands_go_on_while_signals_arrive_at_every_thread_of_the_process()
    {
        // libiscsi waits for the target in poll(2), which a signal interrupts, and ends the session
        // then ("Poll failed"): a burn in CI lost its disc so (LinuxNative.HoldSignals). SIGCHLD
        // has a handler in this process (.NET reaps its child processes, and the fixture started one).
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.DvdUrl);
        using var stop = new CancellationTokenSource();
        var signalled = 0L;
        var signaller = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var thread in Directory.GetDirectories("/proc/self/task"))
                {
                    if (ThreadKill(Environment.ProcessId, int.Parse(Path.GetFileName(thread), System.Globalization.CultureInfo.InvariantCulture), SigChld) == 0)
                    {
                        Interlocked.Increment(ref signalled);
                    }
                }
            }
        })
        {
            IsBackground = true,
        };
        signaller.Start();
        var answered = 0;
        try
        {
            // At least 300 commands, and as many as it takes for 1,000 signals to land among them:
            // on a loaded machine the signaller walks /proc/self/task slowly (CI sent 993 during
            // 300 commands once), and a run with few signals would prove little.
            while ((answered < MinimumCommands || Interlocked.Read(ref signalled) < MinimumSignals) && answered < MaximumCommands)
            {
                _ = await transport.ExecuteAsync(new byte[6], DataDirection.None, Memory<byte>.Empty, TimeSpan.FromSeconds(10), CancellationToken.None);
                answered++;
            }
        }
        finally
        {
            await stop.CancelAsync();
            signaller.Join();
        }

        Assert.True(answered >= MinimumCommands, $"only {answered} commands were answered");
        Assert.True(Interlocked.Read(ref signalled) >= MinimumSignals, $"only {Interlocked.Read(ref signalled)} signals were sent during {answered} commands");
    }

    [LibraryImport("libc", EntryPoint = "tgkill", SetLastError = true)]
    private static partial int ThreadKill(int processId, int threadId, int signal);
}
