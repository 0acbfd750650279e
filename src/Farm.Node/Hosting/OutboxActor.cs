using Akka.Actor;
using Akka.Delivery;
using Akka.Persistence.Delivery;
using Akka.Util;
using Farm.Messages.Protocol;
using Farm.Node.Cluster;
using Farm.Node.Reporting;

namespace Farm.Node.Hosting;

/// <summary>
/// The node's outbox to the controller: an Akka.Delivery ProducerController of
/// <see cref="NodeReport"/> (producer id "node-{id}") with a durable, event-sourced queue
/// ("outbox-{id}" on the node's journal). Reports go out in the order they arrive, one at a time as
/// the controller asks for more; each is confirmed to its source (<see cref="EventStored"/>) once
/// the durable queue holds it, so the source may snapshot past it. Reports not yet stored are
/// re-sent by their sources after a restart (they re-send what they replayed), and stored ones
/// the controller did not confirm are re-sent by the queue.
/// </summary>
public sealed class OutboxActor : ReceiveActor
{
    /// <summary>Ship <paramref name="Report"/>; the sender is told <see cref="EventStored"/> once it is stored.</summary>
    public sealed record Send(NodeReport Report);

    /// <summary>Told to the parent at start: the ProducerController the controller's consumer registers with.</summary>
    public sealed record Ready(IActorRef Producer);

    private readonly string nodeId;
    private readonly Queue<(NodeReport Report, IActorRef Source)> pending = new();
    private readonly Queue<(NodeReport Report, IActorRef Source)> storing = new();
    private IActorRef? sendNextTo;

    public OutboxActor(string nodeId)
    {
        this.nodeId = nodeId;
        Receive<ProducerController.RequestNext<NodeReport>>(next =>
        {
            sendNextTo = next.SendNextTo;
            TrySend();
        });
        Receive<Send>(send =>
        {
            pending.Enqueue((send.Report, Sender));
            TrySend();
        });

        // The durable queue confirms in order: the oldest report waiting for it is the one stored.
        Receive<long>(_ =>
        {
            if (storing.TryDequeue(out var stored))
            {
                stored.Source.Tell(new EventStored(stored.Report.SourceId, stored.Report.SequenceNr));
            }
        });
    }

    public static Props Props(string nodeId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        return Akka.Actor.Props.Create(() => new OutboxActor(nodeId));
    }

    public static string ProducerIdOf(string nodeId) => $"node-{nodeId}";

    public static string QueueIdOf(string nodeId) => $"outbox-{nodeId}";

    protected override void PreStart()
    {
        var settings = EventSourcedProducerQueue.Settings.Create(Context.System) with
        {
            JournalPluginId = FarmPersistence.NodeJournalId,
            SnapshotPluginId = FarmPersistence.NodeSnapshotId,
        };
        var queue = EventSourcedProducerQueue.Create<NodeReport>(QueueIdOf(nodeId), settings);
        var producer = Context.ActorOf(ProducerController.Create<NodeReport>(Context, ProducerIdOf(nodeId), Option<Props>.Create(queue)), "producer");
        producer.Tell(new ProducerController.Start<NodeReport>(Self));
        Context.Parent.Tell(new Ready(producer));
    }

    private void TrySend()
    {
        if (sendNextTo is null || !pending.TryDequeue(out var next))
        {
            return;
        }

        sendNextTo.Tell(new ProducerController.MessageWithConfirmation<NodeReport>(next.Report, Self));
        storing.Enqueue(next);
        sendNextTo = null;
    }
}
