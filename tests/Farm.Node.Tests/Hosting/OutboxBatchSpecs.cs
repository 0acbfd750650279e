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
/// The node's outbox sends its reports as batches to a real ConsumerController: at most
/// <see cref="OutboxActor.MaxBatchesInFlight"/> (two) batches unconfirmed, the reports that arrive
/// meanwhile together in the next (at most <see cref="NodeReportBatch.MaxReports"/>), each report
/// confirmed to its source once its batch is.
/// </summary>
public sealed class OutboxBatchSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_second_batch_leaves_while_the_first_awaits_confirmation_and_later_reports_wait_together_for_the_third()
    {
        var (outbox, deliveries, first) = OneBatchInFlight(TestActor);

        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 2)));
        outbox.Tell(new OutboxActor.Send(Report("tower-T1", 1)));
        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 3)));
        first.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var second = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);
        second.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var third = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);

        // With one batch in flight, #2, T1 #1 and #3 would have gone together after the first's
        // confirmation; #2 went at once, alone, and the two that came while two batches were
        // unconfirmed waited together for a confirmation.
        Assert.Equal([("drive-D1", 1L)], Numbers(first.Message));
        Assert.Equal([("drive-D1", 2L)], Numbers(second.Message));
        Assert.Equal([("tower-T1", 1L), ("drive-D1", 3L)], Numbers(third.Message));
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

        // The second batch is delivered, not confirmed: its source is not told, nor is the third's.
        drive.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        tower.ExpectNoMsg(TimeSpan.Zero);
        second.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        drive.ExpectMsg(new EventConfirmed("drive-D1", 2), Patient);
        var third = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);
        tower.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        third.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);

        tower.ExpectMsg(new EventConfirmed("tower-T1", 1), Patient);
    }

    [Fact]
    public void A_batch_holds_at_most_its_maximum_of_reports_and_the_rest_follow_in_the_next()
    {
        var (outbox, deliveries, first) = OneBatchInFlight(TestActor);
        outbox.Tell(new OutboxActor.Send(Report("drive-D1", 2))); // the second batch in flight, alone
        var waiting = NodeReportBatch.MaxReports + 6;
        for (var n = 3; n < 3 + waiting; n++)
        {
            outbox.Tell(new OutboxActor.Send(Report("drive-D1", n)));
        }

        first.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var second = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);
        second.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var full = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);
        full.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        var rest = deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient);

        Assert.Equal([2L], second.Message.Reports.Select(r => r.SequenceNr));
        Assert.Equal(Enumerable.Range(3, NodeReportBatch.MaxReports).Select(n => (long)n), full.Message.Reports.Select(r => r.SequenceNr));
        Assert.Equal(Enumerable.Range(3 + NodeReportBatch.MaxReports, 6).Select(n => (long)n), rest.Message.Reports.Select(r => r.SequenceNr));
    }

    private static NodeReport Report(string sourceId, long sequenceNr) => new("n1", sourceId, sequenceNr, new DriveIdle("D1"));

    private static IEnumerable<(string, long)> Numbers(NodeReportBatch batch) => batch.Reports.Select(r => (r.SourceId, r.SequenceNr));

    /// <summary>An outbox that sent report drive-D1 #1 (from <paramref name="source"/>) in a batch the controller has not confirmed.</summary>
    /// <remarks>
    /// A first batch is delivered and confirmed before: until the ConsumerController has asked for
    /// more than its first message, the producer grants the outbox one message at a time, so what
    /// the outbox may send ahead would depend on when that request arrives. Once the outbox has
    /// confirmed the first batch to its source, the grant for the next is in (both come from the
    /// ProducerController, the grant first), and each send is granted the next at once.
    /// </remarks>
    private (IActorRef Outbox, TestProbe Deliveries, ConsumerController.Delivery<NodeReportBatch> First) OneBatchInFlight(IActorRef source)
    {
        var (outbox, deliveries) = StartOutbox();
        var warmUp = CreateTestProbe();
        outbox.Tell(new OutboxActor.Send(Report("drive-D0", 1)), warmUp.Ref);
        deliveries.ExpectMsg<ConsumerController.Delivery<NodeReportBatch>>(Patient).ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        warmUp.ExpectMsg(new EventConfirmed("drive-D0", 1), Patient);
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
