using System.Security.Cryptography;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Testing;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// IMAPI2's changed-ranges model applied to a crash: on overwritable media a burn cut short is
/// carried on from the last persisted LBA when the job allows it, and verifies like any other.
/// </summary>
public sealed class RewritableResumeTests : IDisposable
{
    private const long Blocks = 8192;
    private readonly TempDirectory folder = new("resume");

    public void Dispose() => folder.Dispose();

    private static RigOptions Options(string media) => new()
    {
        MediaType = media,
        FileBackedMedia = true,
        TimeScale = 4,
        WriteSpeedX = 1,
        DriveBufferBytes = 256 * 1024,
        Recorder = o => o with { ProgressInterval = TimeSpan.FromMilliseconds(200), ProgressBytes = 1024 * 1024, ResumeOverlapBytes = 64 * 1024 },
    };

    /// <summary>Starts a burn, cuts it short mid-write (a shutdown that aborts it), returns the last persisted LBA.</summary>
    private async Task<long> InterruptAsync(string media, bool allowResume)
    {
        await using var rig = await NodeRig.StartAsync(Options(media), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(Blocks), mediaType: media, allowResume: allowResume)));
        await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba > Blocks / 4);
        using var abort = new CancellationTokenSource();
        await abort.CancelAsync();
        await rig.Host.ShutdownAsync(abort.Token);
        var last = (await rig.DriveEventsAsync()).OfType<SectorsWritten>().Last().LastWrittenLba;
        Assert.InRange(last, Blocks / 4, Blocks - 2);
        return last;
    }

    [Theory]
    [InlineData("DVD+RW")]
    [InlineData("BD-RE")]
    public async Task An_interrupted_rewritable_disc_is_resumed_from_its_last_persisted_lba_and_verifies(string media)
    {
        var last = await InterruptAsync(media, allowResume: true);

        await using var again = await NodeRig.StartAsync(Options(media), folder);
        var resumed = await again.WaitForDriveAsync<BurnResumed>();
        var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();
        await again.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal((last, last + 1 - 32, Blocks), (resumed.LastPersistedLba, resumed.FromLba, resumed.TotalBlocks)); // 64 KiB of overlap
        var events = await again.DriveEventsAsync();
        Assert.DoesNotContain(events, e => e is DiscInterrupted or BurnFailed);
        var restarted = events.OfType<BurnStarted>().Last();
        Assert.Equal(resumed.FromLba, restarted.StartLba);
        Assert.Equal((Blocks - resumed.FromLba) * 2048, again.Drives[NodeRig.DriveIdOf(1)].BytesWritten); // the drive was sent only the remaining range
        Assert.Single(events.OfType<BurnAssigned>());
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(again.Image(Blocks))));
        Assert.Equal(expected, events.OfType<DiscVerified>().Single().Sha256); // the whole disc reads back as the image
        Assert.Equal((Bins.Output, expected), (unloaded.Bin, unloaded.Sha256));
        Assert.Equal(1, unloaded.Attempt);
    }

    [Theory]
    [InlineData("DVD+RW", false)] // the job did not allow it
    [InlineData("DVD+R", true)]   // write-once media cannot be resumed
    public async Task Otherwise_the_interrupted_disc_is_rejected(string media, bool allowResume)
    {
        var last = await InterruptAsync(media, allowResume);

        await using var again = await NodeRig.StartAsync(Options(media), folder);
        var interrupted = await again.WaitForDriveAsync<DiscInterrupted>();
        var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();

        Assert.Equal(("Writing", last), (interrupted.Phase, interrupted.LastPersistedLba));
        Assert.Equal(Bins.Reject, unloaded.Bin);
        Assert.DoesNotContain(await again.DriveEventsAsync(), e => e is BurnResumed);
    }
}
