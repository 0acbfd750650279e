using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Hosting;

/// <summary>
/// The node's outbox, through a real ConsumerController on the node's real SQLite journal: every
/// source's reports arrive in order, and what the controller had not confirmed when the node
/// process died reaches it after the node starts again in a new ActorSystem.
/// </summary>
public sealed class OutboxSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private static void AssertInOrderFromOne(ReportLog log, string sourceId)
    {
        var firstArrivals = log.Arrivals.Where(r => r.SourceId == sourceId).Select(r => r.SequenceNr).Distinct().ToList();
        Assert.Equal(Enumerable.Range(1, firstArrivals.Count).Select(n => (long)n), firstArrivals);
    }

    [Fact]
    public async Task Reports_arrive_in_order_and_unconfirmed_ones_arrive_after_the_node_process_restarts()
    {
        var first = NodeSystem("node-first");
        var unconfirmedLog = new ReportLog();
        await using (var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder, unconfirmedLog, first))
        {
            // The controller takes the first report and never confirms it: the rest wait at the node.
            rig.Controller.Tell(new ControllerStandIn.Confirming(false));
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(NodeRig.Assignment(rig.Image(512)));
            await AwaitConditionAsync(async () => (await rig.Tower.GetBinsAsync(CancellationToken.None)).Output == 1, Dilated(Patience));
            await rig.WaitForStateAsync(RecorderState.Idle); // the node burned on, its reports waiting for the controller
            await first.Terminate();
        }

        // Reports the stand-in confirmed before it stopped confirming (the start-up's, under load) do not count:
        // after it stopped, only the first batch may arrive, and it stays unconfirmed.
        Assert.True(unconfirmedLog.HeldDeliveries <= 1, $"{unconfirmedLog.HeldDeliveries} batches went past an unconfirmed one");

        var second = NodeSystem("node-second");
        try
        {
            var log = new ReportLog();
            await using var again = await NodeRig.StartAsync(this, new RigOptions(), Folder, log, second);
            await again.WaitForDriveAsync<DriveCameOnline>(nth: 2);
            await again.WaitForDriveAsync<DiscUnloaded>();

            // Everything the first life persisted came, each source in order from its first event.
            var kinds = log.Events(NodeRig.DriveSource()).Select(e => e.GetType().Name).ToList();
            Assert.Equal(["DriveCameOnline", "DriveIdle", "BurnAssigned", "DiscLoaded", "BurnStarted"], kinds.Take(5));
            Assert.Contains(log.Events(NodeRig.TowerSource), e => e is Farm.Messages.Towers.DiscBinned { Bin: Bins.Output });
            AssertInOrderFromOne(log, NodeRig.DriveSource());
            AssertInOrderFromOne(log, NodeRig.TowerSource);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
