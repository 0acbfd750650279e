using Akka.Actor;
using Akka.Delivery;
using Akka.Util;
using Farm.Messages.Protocol;
using Farm.Node.Reporting;

namespace Farm.Node.Hosting;

/// <summary>
/// The node's outbox to the controller: an Akka.Delivery ProducerController of
/// <see cref="NodeReport"/> (producer id "node-{id}"). Reports go out in the order they arrive, as
/// the controller's ConsumerController asks for more, and each is confirmed to its source
/// (<see cref="EventConfirmed"/>) once the controller confirmed it, which it does after persisting it.
/// </summary>
/// <remarks>
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
    private readonly Queue<(NodeReport Report, IActorRef Source)> _confirming = new();
    private IActorRef? _sendNextTo;
    private long _sendSeqNr;
    private long _lastSentSeqNr;

    public OutboxActor(string nodeId)
    {
        _nodeId = nodeId;
        Receive<ProducerController.RequestNext<NodeReport>>(next =>
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

        // The consumer confirms in order: the oldest report waiting for it is the one confirmed.
        Receive<long>(_ =>
        {
            if (_confirming.TryDequeue(out var confirmed))
            {
                confirmed.Source.Tell(new EventConfirmed(confirmed.Report.SourceId, confirmed.Report.SequenceNr));
            }
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
        var producer = Context.ActorOf(ProducerController.Create<NodeReport>(Context, ProducerIdOf(_nodeId), Option<Props>.None), "producer");
        producer.Tell(new ProducerController.Start<NodeReport>(Self));
        Context.Parent.Tell(new Ready(producer));
    }

    private void TrySend()
    {
        if (_sendNextTo is null || !_pending.TryDequeue(out var next))
        {
            return;
        }

        _sendNextTo.Tell(new ProducerController.MessageWithConfirmation<NodeReport>(next.Report, Self));
        _confirming.Enqueue(next);
        _lastSentSeqNr = _sendSeqNr;
        _sendNextTo = null;
    }
}
