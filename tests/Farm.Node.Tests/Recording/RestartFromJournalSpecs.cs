using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// A node process killed mid-write (its ActorSystem gone, no flush) and started again in a new
/// ActorSystem on the same SQLite journal: the recorder recovers, reports the disc interrupted with
/// the last LBA its journal holds, rejects the disc, and re-sends what it replayed.
/// </summary>
public sealed class RestartFromJournalSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_recorder_killed_mid_write_recovers_and_reports_the_disc_interrupted_at_its_last_persisted_lba()
    {
        var options = new RigOptions { TimeScale = 1, WriteSpeedX = 4, DriveBufferBytes = 256 * 1024, Recorder = o => o with { ProgressInterval = TimeSpan.FromMilliseconds(100) } };
        var first = NodeSystem("node-killed");
        await using (var rig = await NodeRig.StartAsync(this, options, Folder, system: first))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(NodeRig.Assignment(rig.Image(8192)));
            await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba >= 256);
            await first.Terminate(); // a crash as far as the journal is concerned: nothing is flushed on the way out
        }

        var second = NodeSystem("node-restarted");
        try
        {
            await using var again = await NodeRig.StartAsync(this, options, Folder, system: second);
            var interrupted = await again.WaitForDriveAsync<DiscInterrupted>();
            var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();
            await again.WaitForStateAsync(RecorderState.Idle);

            var events = again.DriveEvents();
            var lastPersisted = events.TakeWhile(e => e is not DiscInterrupted).OfType<SectorsWritten>().Last().LastWrittenLba;
            Assert.Equal(("Writing", lastPersisted, 8192L), (interrupted.Phase, interrupted.LastPersistedLba, interrupted.TotalBlocks));
            Assert.InRange(lastPersisted, 256, 8190);
            Assert.Equal(Bins.Reject, unloaded.Bin);
            Assert.Equal(2, events.OfType<DriveCameOnline>().Count()); // the first life's events came again from recovery
            // Every number once, in order, from 1: the replayed events came again and nothing was
            // lost or doubled. Read once: a report may still arrive after `events` was read (the
            // outbox has two batches in flight), so its count is not the log's a moment later.
            var reported = again.Log.SequenceNrs(NodeRig.DriveSource());
            Assert.Equal(Enumerable.Range(1, reported.Count).Select(n => (long)n), reported);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
