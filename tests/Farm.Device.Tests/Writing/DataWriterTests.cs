using System.Security.Cryptography;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>The write path against the simulated drive: validate, WRITE, close, read back.</summary>
public sealed class DataWriterTests : IDisposable
{
    private readonly TempDirectory _folder = new("farm-writer");

    public void Dispose() => _folder.Dispose();

    private static SimulatedDrive DriveWith(Profile profile, out SimulatedDisc disc)
    {
        var drive = new SimulatedDrive(new SimulatedDriveOptions { UnlimitedSpeed = true, CloseTrackDuration = TimeSpan.Zero, CloseSessionDuration = TimeSpan.Zero, FinalizeDuration = TimeSpan.Zero });
        disc = SimulatedDisc.Blank(Profiles.Get(profile), "disc-1", new MemoryMediaStore());
        drive.Insert(disc);
        return drive;
    }

    private ImageSource Image(int blocks, int seed = 1)
    {
        var bytes = new byte[blocks * 2048];
        new Random(seed).NextBytes(bytes);
        var path = _folder.PathOf($"image-{blocks}-{seed}.iso");
        File.WriteAllBytes(path, bytes);
        return ImageSource.Open(path);
    }

    private static MmcDrive MmcOf(IScsiTransport drive) =>
        new(drive, TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });

    [Fact]
    public async Task A_dvd_plus_r_burn_reads_back_exactly_the_image()
    {
        await using var drive = DriveWith(Profile.DvdPlusR, out var disc);
        var image = Image(blocks: 300);
        var mmc = MmcOf(drive);

        var written = await new DataWriter(mmc).WriteAsync(image, null, CancellationToken.None);
        var verified = await Verifier.ReadBackAsync(mmc, written.StartLba, written.Blocks, written.ImageSha256, CancellationToken.None);

        Assert.Equal((0L, 300L), (written.StartLba, written.Blocks));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(image.Path))), written.ImageSha256);
        Assert.True(verified.Matches);
        Assert.Equal(300, verified.BlocksRead);
        Assert.Equal(Farm.Device.Mmc.DiscStatus.Complete, (await mmc.ReadDiscInformationAsync(CancellationToken.None)).Status);
        Assert.Equal(Farm.Device.Mmc.DiscStatus.Complete, disc.Status);
    }

    [Fact]
    public async Task Progress_reports_every_sector_written_in_order()
    {
        await using var drive = DriveWith(Profile.DvdPlusR, out _);
        var reports = new List<WriteProgress>();

        await new DataWriter(MmcOf(drive)).WriteAsync(Image(blocks: 64), new SynchronousProgress(reports.Add), CancellationToken.None);

        var writing = reports.Where(r => r.Action == WriteAction.WritingData && r.LastWrittenLba >= 0).ToList();
        Assert.Equal([15L, 31, 47, 63], writing.Select(r => r.LastWrittenLba));
        Assert.Equal(
            [WriteAction.ValidatingMedia, WriteAction.InitializingHardware, WriteAction.CalibratingPower, WriteAction.WritingData, WriteAction.Finalization, WriteAction.Completed],
            reports.Select(r => r.Action).Distinct());
    }

    [Fact]
    public async Task An_image_larger_than_the_free_space_is_refused_before_any_write()
    {
        await using var drive = DriveWith(Profile.CdR, out var disc);
        var tooBig = new ImageSource(_folder.PathOf("virtual.iso"), (Profiles.Get(Profile.CdR).CapacityBlocks + 1) * 2048);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(MmcOf(drive)).WriteAsync(tooBig, null, CancellationToken.None));

        Assert.Equal(ImapiErrors.V1DiscFull, refused.Error.Error);
        Assert.Equal(Disposition.NeedsOperator, refused.Error.Disposition);
        Assert.Equal(0, disc.Store.WrittenExtentBlocks);
    }

    [Fact]
    public async Task A_write_error_fails_the_disc_with_its_imapi2_error_and_sense()
    {
        await using var drive = DriveWith(Profile.DvdPlusR, out _);
        drive.Faults.InjectOnce(FaultTrigger.On(0x2A).After(2), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x09));

        var failed = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(MmcOf(drive)).WriteAsync(Image(blocks: 128), null, CancellationToken.None));

        Assert.Equal(ImapiErrors.LossOfStreaming, failed.Error.Error);
        Assert.Equal(0xC0AA0300u, failed.Error.Error.HResult);
        Assert.Equal(Disposition.FailDisc, failed.Error.Disposition);
    }

    [Fact]
    public async Task A_closed_disc_is_refused()
    {
        await using var drive = DriveWith(Profile.DvdPlusR, out _);
        var mmc = MmcOf(drive);
        await new DataWriter(mmc).WriteAsync(Image(blocks: 16), null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(mmc).WriteAsync(Image(blocks: 16, seed: 2), null, CancellationToken.None));

        Assert.Equal(ImapiErrors.Df2DataMediaIsNotSupported, refused.Error.Error);
        Assert.Contains("closed", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_next_writable_address_beyond_any_disc_is_an_invalid_device_answer_before_any_write()
    {
        await using var drive = DriveWith(Profile.CdR, out var disc);
        var garbled = new TrackAnswerRewriter(drive, nextWritableAddress: 0xFFFF_FF00);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(MmcOf(garbled)).WriteAsync(Image(blocks: 16), null, CancellationToken.None));

        Assert.Equal(ImapiErrors.RecorderInvalidResponseFromDevice, refused.Error.Error);
        Assert.Contains("4,294,967,040", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(0, disc.Store.WrittenExtentBlocks);
    }

    [Fact]
    public async Task Without_a_disc_the_error_is_no_media_and_needs_an_operator()
    {
        await using var drive = new SimulatedDrive(new SimulatedDriveOptions { UnlimitedSpeed = true });

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(MmcOf(drive)).WriteAsync(Image(blocks: 16), null, CancellationToken.None));

        Assert.Equal(ImapiErrors.RecorderMediaNoMedia, refused.Error.Error);
        Assert.Equal(Disposition.NeedsOperator, refused.Error.Disposition);
    }

    [Fact]
    public void An_image_that_is_not_whole_sectors_is_refused_with_stream_not_supported()
    {
        var odd = _folder.PathOf("odd.iso");
        File.WriteAllBytes(odd, new byte[2049]);

        var refused = Assert.Throws<DeviceException>(() => ImageSource.Open(odd));

        Assert.Equal(0xC0AA0403u, refused.Error.Error.HResult);
        Assert.Contains("E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_path_with_a_nul_character_is_refused_as_an_invalid_argument()
    {
        // Found by the API fuzz run: FileInfo threw ArgumentException and POST /api/jobs answered 500.
        var path = _folder.PathOf("image.iso") + "\0";

        var refused = Assert.Throws<DeviceException>(() => ImageSource.Open(path));

        Assert.Equal(ImapiErrors.InvalidArgument, refused.Error.Error);
        Assert.Contains("holds a NUL character", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>IProgress that records on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<WriteProgress> onReport) : IProgress<WriteProgress>
    {
        public void Report(WriteProgress value) => onReport(value);
    }

    /// <summary>Passes commands through, overwriting the next writable address (bytes 12-15, MMC-6 Table 570) in READ TRACK INFORMATION answers.</summary>
    private sealed class TrackAnswerRewriter(IScsiTransport inner, uint nextWritableAddress) : IScsiTransport
    {
        private const byte ReadTrackInformation = 0x52;

        public string Name => inner.Name;

        public int MaxTransferBytes => inner.MaxTransferBytes;

        public async ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var result = await inner.ExecuteAsync(cdb, direction, data, timeout, cancellationToken);
            if (cdb.Span[0] == ReadTrackInformation && data.Length >= 16)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.Span[12..16], nextWritableAddress);
            }

            return result;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
