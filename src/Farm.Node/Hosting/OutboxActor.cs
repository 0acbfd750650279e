using Akka.Actor;
using Akka.Delivery;
using Akka.Util;
using Farm.Messages.Protocol;
using Farm.Node.Reporting;

namespace Farm.Node.Hosting;

/// <summary>
/// The node's outbox to the controller: an Akka.Delivery ProducerController of
/// <see cref="NodeReportBatch"/> (producer id "node-{id}"). Reports go out in the order they arrive,
/// as batches: one batch is in flight at a time, and the reports that arrive while the controller
/// persists it go together in the next (at most <see cref="NodeReportBatch.MaxReports"/>), so a
/// node's drives share a controller journal write instead of queueing for one write each. Each
/// report is confirmed to its source (<see cref="EventConfirmed"/>) once the controller confirmed
/// its batch, which it does after persisting every report in it.
/// </summary>
/// <remarks>
/// One batch in flight, not the delivery window's 50 messages: the controller's ConsumerController
/// hands it one message at a time and waits for its confirmation (a journal write) before the next,
/// so batches sent ahead would each hold the one or two reports there were when they were sent and
/// still cost a write each; held back here, they join the next batch instead. The cost is one
/// round trip to the controller between batches, while the controller writes other nodes' batches.
/// The durable queue is the sources' own journal, not an EventSourcedProducerQueue: a recorder or
/// tower snapshots only past confirmed reports and, after a restart, re-sends every event it
/// replayed, so a report the controller never confirmed is sent again however the node stopped.
/// An EventSourcedProducerQueue was tried first (the design's choice) and its ProducerController
/// crashes on restart when every earlier message was confirmed ("Unexpected Msg when no demand,
/// requested: True, requestedSeqNr: 1, currentSeqNr: 17" in Akka.NET 1.5.74; the same defect is
/// apache/pekko#2760): the normal case of a node restart.
/// </remarks>
public sealed class OutboxActor : ReceiveActor
{
    /// <summary>Ship <paramref name="Report"/>; the sender is told <see cref="EventConfirmed"/> once the controller confirmed it.</summary>
    public sealed record Send(NodeReport Report);

    /// <summary>Told to the parent at start: the ProducerController the controller's consumer registers with.</summary>
    public sealed record Ready(IActorRef Producer);

    private readonly string _nodeId;
    private readonly Queue<(NodeReport Report, IActorRef Source)> _pending = new();

    /// <summary>The batch the controller has not confirmed yet (null: none), with the source of each report.</summary>
    private List<(NodeReport Report, IActorRef Source)>? _inFlight;
    private IActorRef? _sendNextTo;
    private long _sendSeqNr;
    private long _lastSentSeqNr;

    public OutboxActor(string nodeId)
    {
        _nodeId = nodeId;
        Receive<ProducerController.RequestNext<NodeReportBatch>>(next =>
        {
            // A request for a number already sent (the controller asks again when a consumer
            // registers) must not be answered twice: the producer would get a message it did not ask for.
            if (next.CurrentSeqNr <= _lastSentSeqNr)
            {
                return;
            }

            _sendNextTo = next.SendNextTo;
            _sendSeqNr = next.CurrentSeqNr;
            TrySend();
        });
        Receive<Send>(send =>
        {
            _pending.Enqueue((send.Report, Sender));
            TrySend();
        });

        // The controller confirmed the one batch in flight.
        Receive<long>(_ =>
        {
            foreach (var (report, source) in _inFlight ?? [])
            {
                source.Tell(new EventConfirmed(report.SourceId, report.SequenceNr));
            }

            _inFlight = null;
            TrySend();
        });
    }

    public static Props Props(string nodeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        return Akka.Actor.Props.Create(() => new OutboxActor(nodeId));
    }

    public static string ProducerIdOf(string nodeId) => $"node-{nodeId}";

    protected override void PreStart()
    {
        var producer = Context.ActorOf(ProducerController.Create<NodeReportBatch>(Context, ProducerIdOf(_nodeId), Option<Props>.None), "producer");
        producer.Tell(new ProducerController.Start<NodeReportBatch>(Self));
        Context.Parent.Tell(new Ready(producer));
    }

    private void TrySend()
    {
        if (_sendNextTo is null || _pending.Count == 0 || _inFlight is not null)
        {
            return;
        }

        var batch = new List<(NodeReport Report, IActorRef Source)>(Math.Min(_pending.Count, NodeReportBatch.MaxReports));
        while (batch.Count < NodeReportBatch.MaxReports && _pending.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        _sendNextTo.Tell(new ProducerController.MessageWithConfirmation<NodeReportBatch>(new NodeReportBatch([.. batch.Select(b => b.Report)]), Self));
        _inFlight = batch;
        _lastSentSeqNr = _sendSeqNr;
        _sendNextTo = null;
    }
}
