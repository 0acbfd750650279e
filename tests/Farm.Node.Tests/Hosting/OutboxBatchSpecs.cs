using Akka.Actor;
using Akka.Delivery;
using Akka.TestKit;
using Akka.Util;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Farm.Node.Hosting;
using Farm.Node.Reporting;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Hosting;

/// <summary>
/// The node's outbox sends its reports as batches to a real ConsumerController: one batch in
/// flight, the reports that arrive meanwhile together in the next (at most
/// <see cref="NodeReportBatch.MaxReports"/>), each report confirmed to its source once its batch is.
/// </summary>
public sealed class OutboxBatchSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);

    [Fact]
    public void Reports_sent_while_a_batch_awaits_confirmation_go_together_in_the_next_batch_in_their_order()
    {
        var (outbox, deliveries, first) = OneBatchInFlight(TestActor);

        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 2)));
        outbox.Tell(new OutboxActor.Send(Report("tower-T1", 1)));
        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 3)));
        first.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var second = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);

        Assert.Equal([("drive-D1", 1L)], Numbers(first.Message));
        Assert.Equal([("drive-D1", 2L), ("tower-T1", 1L), ("drive-D1", 3L)], Numbers(second.Message));
    }

    [Fact]
    public void Each_report_is_confirmed_to_its_source_once_the_controller_confirmed_its_batch()
    {
        var drive = CreateTestProbe();
        var tower = CreateTestProbe();
        var (outbox, deliveries, first) = OneBatchInFlight(drive);
        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 2)), drive.Ref);
        outbox.Tell(new OutboxActor.Send(Report("tower-T1", 1)), tower.Ref);
        first.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        drive.ExpectMsg(new EventConfirmed("drive-D1", 1), Patient);
        var second = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);

        // The second batch is delivered, not confirmed: neither of its sources is told.
        tower.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        drive.ExpectNoMsg(TimeSpan.Zero);
        second.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);

        drive.ExpectMsg(new EventConfirmed("drive-D1", 2), Patient);
        tower.ExpectMsg(new EventConfirmed("tower-T1", 1), Patient);
    }

    [Fact]
    public void A_batch_holds_at_most_its_maximum_of_reports_and_the_rest_follow_in_the_next()
    {
        var (outbox, deliveries, first) = OneBatchInFlight(TestActor);
        var waiting = NodeReportBatch.MaxReports + 6;
        for (var n = 2; n <= waiting + 1; n++)
        {
            outbox.Tell(new OutboxActor.Send(Report("drive-D1", n)));
        }

        first.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var full = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);
        full.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var rest = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);

        Assert.Equal(Enumerable.Range(2, NodeReportBatch.MaxReports).Select(n => (long)n), full.Message.Reports.Select(r => r.SequenceNr));
        Assert.Equal(Enumerable.Range(2 + NodeReportBatch.MaxReports, 6).Select(n => (long)n), rest.Message.Reports.Select(r => r.SequenceNr));
    }

    private static NodeReport Report(string sourceId, long sequenceNr) => new("n1", sourceId, sequenceNr, new DriveIdle("D1"));

    private static IEnumerable<(string, long)> Numbers(NodeReportBatch batch) => batch.Reports.Select(r => (r.SourceId, r.SequenceNr));

    /// <summary>An outbox that sent report drive-D1 #1 (from <paramref name="source"/>) in a batch the controller has not confirmed.</summary>
    private (IActorRef Outbox, TestProbe Deliveries, ConsumerController.Delivery<NodeReportBatch> First) OneBatchInFlight(IActorRef source)
    {
        var (outbox, deliveries) = StartOutbox();
        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 1)), source);
        return (outbox, deliveries, deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient));
    }

    /// <summary>An outbox (under a parent that passes its Ready on) consumed by a ConsumerController whose deliveries go to the probe returned.</summary>
    private (IActorRef Outbox, TestProbe Deliveries) StartOutbox()
    {
        var parent = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new OutboxParent(parent.Ref)));
        var ready = parent.ExpectMsg<OutboxActor.Ready>(Patient);
        var outbox = parent.LastSender;
        var deliveries = CreateTestProbe();
        var consumer = Sys.ActorOf(ConsumerController.Create<NodeReportBatch>(Sys, Option<IActorRef>.None));
        consumer.Tell(new ConsumerController.Start<NodeReportBatch>(deliveries.Ref));
        consumer.Tell(new ConsumerController.RegisterToProducerController<NodeReportBatch>(ready.Producer));
        return (outbox, deliveries);
    }

    /// <summary>The outbox's parent, as the node actor is: passes what the outbox tells it to the probe.</summary>
    private sealed class OutboxParent : ReceiveActor
    {
        public OutboxParent(IActorRef probe)
        {
            Context.ActorOf(OutboxActor.Props("n1"), "outbox");
            ReceiveAny(message => probe.Forward(message));
        }
    }
}
