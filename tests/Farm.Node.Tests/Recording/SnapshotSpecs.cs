using Akka.Actor;
using Akka.Persistence;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Cluster;
using Farm.Node.Hosting;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Farm.Node.Towers;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// Snapshots bound a recorder's recovery: after a restart only the events since the last snapshot
/// are replayed (and re-sent), and the recovered drive still knows what it took before.
/// </summary>
public sealed class SnapshotSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_restarted_recorder_replays_only_what_came_after_its_snapshot_and_still_knows_its_attempts()
    {
        var options = new RigOptions { SnapshotEvery = 5 };
        var first = new ReportLog();
        var assignment = NodeRig.Assignment(NodeRig.Image(Folder, 256));
        await using (var rig = await NodeRig.StartAsync(this, options, Folder, first))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(assignment);
            await rig.WaitForDriveAsync<DriveIdle>(nth: 2);
            await rig.WaitForStateAsync(RecorderState.Idle);

            // Taken once the outbox stored every event up to the drive's idle.
            var store = global::Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(FarmPersistence.NodeSnapshotId);
            await AwaitConditionAsync(async () => (await store.Ask<LoadSnapshotResult>(new LoadSnapshot(NodeRig.DriveSource(), SnapshotSelectionCriteria.Latest, long.MaxValue), Dilated(TimeSpan.FromSeconds(5)))).Snapshot is not null, Dilated(Patience));
            await rig.StopAsync();
        }

        var total = first.Events(NodeRig.DriveSource()).Count;
        Assert.True(total > 5, $"only {total} events");
        var second = new ReportLog();
        await using var again = await NodeRig.StartAsync(this, options, Folder, second);
        await again.WaitForDriveAsync<DriveCameOnline>();
        await again.WaitForStateAsync(RecorderState.Idle);
        again.Tell(assignment); // delivered again after the restart: the snapshot remembers it was taken
        again.Tell(NodeRig.Assignment(NodeRig.Image(Folder, 256), copy: 2));
        await again.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 2);

        var replayed = second.SequenceNrs(NodeRig.DriveSource());
        Assert.True(replayed[0] > total - 5, $"recovery started at #{replayed[0]} of {total}: no snapshot was used");
        Assert.DoesNotContain(second.Events(NodeRig.DriveSource()), e => e is BurnAssigned { Copy: 1 });
        Assert.Single(second.Events(NodeRig.DriveSource()).OfType<BurnAssigned>());
    }

    [Fact]
    public void The_snapshots_round_trip_through_their_serializer()
    {
        var history = RecorderHistory.Replay([
            new BurnAssigned("D1", "J", 1, 2, 10, "i.iso", VerifyMode.Quick, true, "{job}"),
            new DiscLoaded("D1", "J", 1, "disc-1", "DVD+RW"),
            new SectorsWritten("D1", "J", 1, 5, 10, 1e6),
            new DrivePaused("D1", DriveHolds.Operator, "lunch"),
        ]);
        var tower = TowerHistory.Replay([
            new Farm.Messages.Towers.DiscPicked("T1", "D1", "disc-1", "DVD+RW"),
            new Farm.Messages.Towers.TowerAlertRaised("T1", "ARM_JAM", "jammed"),
        ]);
        var serializer = new NodeSnapshotSerializer((ExtendedActorSystem)Sys);

        var recorder = (RecorderSnapshot)serializer.FromBinary(serializer.ToBinary(RecorderSnapshot.Of(history)), serializer.Manifest(RecorderSnapshot.Of(history)));
        var towerBack = (TowerSnapshot)serializer.FromBinary(serializer.ToBinary(TowerSnapshot.Of(tower)), serializer.Manifest(TowerSnapshot.Of(tower)));

        var back = recorder.ToHistory();
        Assert.Equal(history.Taken, back.Taken);
        Assert.Equal(history.Open, back.Open);
        Assert.Equal(history.Holds, back.Holds);
        Assert.Equal((history.ConsecutiveFailures, history.InMaintenance), (back.ConsecutiveFailures, back.InMaintenance));
        var towerHistory = towerBack.ToHistory();
        Assert.Equal((tower.Picked, tower.Output, tower.Reject), (towerHistory.Picked, towerHistory.Output, towerHistory.Reject));
        Assert.Equal(tower.DiscInDrive, towerHistory.DiscInDrive);
        Assert.Equal(tower.Alerts, towerHistory.Alerts);
        Assert.Equal("RecorderSnapshot.v1", serializer.Manifest(recorder));
    }
}
