using System.Diagnostics;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// Sector progress is persisted within the time and byte bounds, and the last position is not lost
/// when a burn is cut short by a shutdown: the next start reports it.
/// </summary>
public sealed class ProgressSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Theory]
    [InlineData(-1, 99, 0.5, false)]   // 100 blocks, half the interval: not yet
    [InlineData(-1, 126, 0.5, false)]  // one block short of the byte bound
    [InlineData(-1, 127, 0.5, true)]   // the byte bound (128 blocks) reached
    [InlineData(500, 510, 0.999, false)]
    [InlineData(500, 510, 1.0, true)]  // the time bound reached
    [InlineData(500, 500, 5.0, false)] // nothing new to persist, however long it has been
    public void The_bound_is_due_at_the_bytes_or_the_interval_whichever_comes_first(long persisted, long written, double seconds, bool due)
    {
        var bound = ProgressBound.From(new RecorderOptions { NodeId = "n", DriveId = "d", TowerId = "t", ProgressBytes = 128 * 2048, ProgressInterval = TimeSpan.FromSeconds(1) });

        Assert.Equal(new ProgressBound(128, TimeSpan.FromSeconds(1)), bound);
        Assert.Equal(due, bound.IsDue(persisted, written, TimeSpan.FromSeconds(seconds)));
    }

    /// <summary>
    /// A 1x DVD drive (1,385,000 bytes per second) with a 256 KiB buffer, so WRITEs are paced by the
    /// medium: with a 300 ms interval and a 32 MiB byte bound only time can trigger. Measured where the
    /// positions reach the controller (after the outbox), so the bounds allow the delivery's jitter.
    /// </summary>
    [Fact]
    public async Task On_a_slow_drive_progress_is_persisted_every_interval()
    {
        var gaps = await BurnAsync(speedX: 1, interval: TimeSpan.FromMilliseconds(300), bytes: 32L * 1024 * 1024, blocks: 1536);

        Assert.True(gaps.Count >= 3, $"only {gaps.Count} progress events");
        var blocksPerInterval = 1_385_000 * 0.3 / 2048; // 203 blocks
        var times = gaps.SkipLast(1).Select(g => g.Time).Order().ToList();
        Assert.InRange(times[times.Count / 2], TimeSpan.FromMilliseconds(280), TimeSpan.FromMilliseconds(400)); // the median: the interval
        Assert.All(times, t => Assert.InRange(t, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1300))); // a busy 2-core machine delays appends
        Assert.All(gaps, g => Assert.InRange(g.Blocks, 1, blocksPerInterval * 1300 / 300));
    }

    /// <summary>At 16x the byte bound (256 blocks here) comes long before the 10 s interval.</summary>
    [Fact]
    public async Task On_a_fast_drive_progress_is_persisted_every_bound_of_bytes()
    {
        var gaps = await BurnAsync(speedX: 16, interval: TimeSpan.FromSeconds(10), bytes: 256 * 2048, blocks: 8192);

        Assert.True(gaps.Count >= 20, $"only {gaps.Count} progress events");
        var sizes = gaps.SkipLast(1).Select(g => g.Blocks).Order().ToList();
        Assert.InRange(sizes[sizes.Count / 2], 256, 256 + 16); // the median: the bound, overshot by at most one WRITE of 16 blocks
        Assert.InRange(sizes[sizes.Count * 8 / 10], 256, 256 + 64); // most within four WRITEs
        Assert.All(sizes, b => Assert.InRange(b, 256, 256 + 1100)); // plus what a 16x drive writes during an append delayed up to 100 ms on a busy machine
        Assert.All(gaps, g => Assert.True(g.Time < TimeSpan.FromSeconds(10), $"a gap of {g.Time}"));
    }

    /// <summary>Burns one image; returns the (time, blocks) between consecutive persisted positions.</summary>
    private async Task<IReadOnlyList<(TimeSpan Time, long Blocks)>> BurnAsync(double speedX, TimeSpan interval, long bytes, long blocks)
    {
        var options = new RigOptions { TimeScale = 1, WriteSpeedX = speedX, DriveBufferBytes = 256 * 1024, Recorder = o => o with { ProgressInterval = interval, ProgressBytes = bytes } };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tell(NodeRig.Assignment(rig.Image(blocks)) with { Verify = VerifyMode.None });
        await rig.WaitForDriveAsync<BurnClosing>();

        var progress = rig.Log.Timed(NodeRig.DriveSource())
            .Where(e => e.Event is SectorsWritten)
            .Select(e => (e.Timestamp, ((SectorsWritten)e.Event).LastWrittenLba))
            .ToList();
        Assert.Equal(blocks - 1, progress[^1].LastWrittenLba);
        await rig.StopAsync(cutBurnsShort: true);

        // The first gap starts with the drive's buffer filling at host speed: measured from the second.
        return [.. progress.Zip(progress.Skip(1), (a, b) => (Stopwatch.GetElapsedTime(a.Timestamp, b.Timestamp), b.LastWrittenLba - a.LastWrittenLba)).Skip(1)];
    }

    [Fact]
    public async Task A_burn_cut_short_by_a_shutdown_persists_its_last_position_and_the_next_start_reports_it()
    {
        var options = new RigOptions { TimeScale = 1, WriteSpeedX = 4, DriveBufferBytes = 256 * 1024, Recorder = o => o with { ProgressInterval = TimeSpan.FromMinutes(10), ProgressBytes = 1024L * 1024 * 1024 } };
        var log = new ReportLog();
        long lastSeen;
        await using (var rig = await NodeRig.StartAsync(this, options, Folder, log))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(NodeRig.Assignment(rig.Image(8192)));
            await rig.WaitForDriveAsync<BurnStarted>();

            // The writer reports "writing" before its first WRITE; cut the burn once blocks are on the disc.
            await AwaitConditionAsync(async () => (await rig.StatusAsync()).LastWrittenLba >= 16, Dilated(Patience), TimeSpan.FromMilliseconds(5));

            // Neither bound is near: only the shutdown's flush can persist the position.
            var stopped = await rig.StopAsync(cutBurnsShort: true);
            lastSeen = stopped.Single().LastWrittenLba;
            Assert.InRange(lastSeen, 16, 8190);
        }

        // Started again on the same journal (the tower's journal says the disc is still in the drive).
        await using var again = await NodeRig.StartAsync(this, options, Folder, log);
        var interrupted = await again.WaitForDriveAsync<DiscInterrupted>();
        var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();

        // The flush on the way out persisted exactly the position the drive had reached.
        var persisted = again.DriveEvents().OfType<SectorsWritten>().ToList();
        Assert.True(persisted.Count == 1, string.Join(", ", again.DriveEvents().Select(e => e.ToString())));
        Assert.Equal(lastSeen, persisted[0].LastWrittenLba);
        Assert.Equal(("Writing", lastSeen, 8192L), (interrupted.Phase, interrupted.LastPersistedLba, interrupted.TotalBlocks));
        Assert.Equal(Bins.Reject, unloaded.Bin);
    }
}
