using System.Security.Cryptography;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// IMAPI2's changed-ranges model applied to a crash: on overwritable media a burn cut short is
/// carried on from the last persisted LBA when the job allows it, and verifies like any other.
/// </summary>
public sealed class RewritableResumeSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private const long Blocks = 8192;
    private readonly ReportLog _log = new();

    private static RigOptions Options(string media) => new()
    {
        MediaType = media,
        FileBackedMedia = true,
        TimeScale = 4,
        WriteSpeedX = 1,
        DriveBufferBytes = 256 * 1024,
        Recorder = o => o with { ProgressInterval = TimeSpan.FromMilliseconds(200), ProgressBytes = 1024 * 1024, ResumeOverlapBytes = 64 * 1024 },
    };

    /// <summary>Starts a burn and cuts it short mid-write (a shutdown); the reports stay in the shared log.</summary>
    private async Task InterruptAsync(string media, bool allowResume)
    {
        await using var rig = await NodeRig.StartAsync(this, Options(media), Folder, _log);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tell(NodeRig.Assignment(rig.Image(Blocks), mediaType: media, allowResume: allowResume));
        await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba > Blocks / 4);
        await rig.StopAsync(cutBurnsShort: true);
    }

    private static long LastPersisted(NodeRig rig)
    {
        var last = rig.DriveEvents().OfType<SectorsWritten>().Last().LastWrittenLba;
        Assert.InRange(last, Blocks / 4, Blocks - 2);
        return last;
    }

    [Theory]
    [InlineData("DVD+RW")]
    [InlineData("BD-RE")]
    public async Task An_interrupted_rewritable_disc_is_resumed_from_its_last_persisted_lba_and_verifies(string media)
    {
        await InterruptAsync(media, allowResume: true);

        await using var again = await NodeRig.StartAsync(this, Options(media), Folder, _log);
        var resumed = await again.WaitForDriveAsync<BurnResumed>();
        var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();
        await again.WaitForStateAsync(RecorderState.Idle);

        var events = again.DriveEvents();
        var before = events.TakeWhile(e => e is not BurnResumed).OfType<SectorsWritten>().Last().LastWrittenLba;
        Assert.InRange(before, Blocks / 4, Blocks - 2);
        Assert.Equal((before, before + 1 - 32, Blocks), (resumed.LastPersistedLba, resumed.FromLba, resumed.TotalBlocks)); // 64 KiB of overlap
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
        await InterruptAsync(media, allowResume);

        await using var again = await NodeRig.StartAsync(this, Options(media), Folder, _log);
        var interrupted = await again.WaitForDriveAsync<DiscInterrupted>();
        var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();

        Assert.Equal(("Writing", LastPersisted(again)), (interrupted.Phase, interrupted.LastPersistedLba));
        Assert.Equal(Bins.Reject, unloaded.Bin);
        Assert.DoesNotContain(again.DriveEvents(), e => e is BurnResumed);
    }
}
