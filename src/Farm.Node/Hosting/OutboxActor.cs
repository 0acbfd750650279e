using Akka.Actor;
using Akka.Delivery;
using Akka.Util;
using Farm.Messages.Protocol;
using Farm.Node.Reporting;

namespace Farm.Node.Hosting;

/// <summary>
/// The node's outbox to the controller: an Akka.Delivery ProducerController of
/// <see cref="NodeReportBatch"/> (producer id "node-{id}"). Reports go out in the order they arrive,
/// as batches: at most <see cref="MaxBatchesInFlight"/> batches are unconfirmed at a time, and the
/// reports that arrive meanwhile go together in the next (at most <see cref="NodeReportBatch.MaxReports"/>),
/// so a node's drives share a controller journal write instead of queueing for one write each. Each
/// report is confirmed to its source (<see cref="EventConfirmed"/>) once the controller confirmed
/// its batch, which it does after persisting every report in it.
/// </summary>
/// <remarks>
/// Two batches in flight, not one and not the delivery window's 50 messages. The controller's
/// ConsumerController hands the controller one message at a time and waits for its confirmation
/// (a journal write) before the next. With one batch in flight, the next batch left the node only
/// once the confirmation had come back, so every report waited for a round trip to the
/// controller on top of the write: measured in the 200-drive scale run (20 node ActorSystems in
/// one process, load 10-17), from the controller's write to the same node's next batch arriving,
/// p50 30-47 ms and p99 1.1-2.7 s, while the controller itself took p50 1 ms from a batch's
/// arrival to its write (docs/SCALING.md). With two, the second batch waits at the controller's
/// ConsumerController and is handed over the moment the first is confirmed, so the way there
/// overlaps the write. More than two would only split the reports into smaller batches: the
/// ConsumerController still hands over one batch per write.
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

    /// <summary>Batches sent and not yet confirmed, at most (see the remarks).</summary>
    public const int MaxBatchesInFlight = 2;

    private readonly string _nodeId;
    private readonly Queue<(NodeReport Report, IActorRef Source)> _pending = new();

    /// <summary>The batches the controller has not confirmed yet, oldest first, by their delivery sequence number, with the source of each report.</summary>
    private readonly Queue<(long SeqNr, List<(NodeReport Report, IActorRef Source)> Batch)> _inFlight = new();
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

        // The controller confirmed a batch (the ProducerController answers with its sequence
        // number; the consumer confirms in order, so every batch up to it is confirmed).
        Receive<long>(confirmed =>
        {
            while (_inFlight.TryPeek(out var oldest) && oldest.SeqNr <= confirmed)
            {
                foreach (var (report, source) in _inFlight.Dequeue().Batch)
                {
                    source.Tell(new EventConfirmed(report.SourceId, report.SequenceNr));
                }
            }

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
        if (_sendNextTo is null || _pending.Count == 0 || _inFlight.Count >= MaxBatchesInFlight)
        {
            return;
        }

        var batch = new List<(NodeReport Report, IActorRef Source)>(Math.Min(_pending.Count, NodeReportBatch.MaxReports));
        while (batch.Count < NodeReportBatch.MaxReports && _pending.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        _sendNextTo.Tell(new ProducerController.MessageWithConfirmation<NodeReportBatch>(new NodeReportBatch([.. batch.Select(b => b.Report)]), Self));
        _inFlight.Enqueue((_sendSeqNr, batch));
        _lastSentSeqNr = _sendSeqNr;
        _sendNextTo = null;
    }
}
