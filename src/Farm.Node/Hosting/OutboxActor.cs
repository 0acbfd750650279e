using Akka.Actor;
using Akka.Delivery;
using Akka.Persistence.Delivery;
using Akka.Util;
using Farm.Messages.Protocol;
using Farm.Node.Cluster;
using Farm.Node.Reporting;
using Microsoft.Extensions.Logging;

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
/// <remarks>
/// A ProducerController that fails is stopped and replaced by a new one on the same queue, and the
/// parent is told <see cref="Ready"/> again (the controller must link a consumer to the new one).
/// This is not hypothetical: a ProducerController that loads a durable queue whose messages were
/// all confirmed grants demand for sequence number 1 while its next number is higher, and throws
/// "Unexpected Msg when no demand" on the first message (Akka.NET 1.5.74; apache/pekko#2760), so
/// every restart of a node that had shipped reports hit it. The message that failed is stored by
/// then; the new producer finds it unconfirmed in the queue and sends it first, which it can.
/// </remarks>
public sealed partial class OutboxActor : ReceiveActor
{
    /// <summary>Ship <paramref name="Report"/>; the sender is told <see cref="EventStored"/> once it is stored.</summary>
    public sealed record Send(NodeReport Report);

    /// <summary>Told to the parent at start: the ProducerController the controller's consumer registers with.</summary>
    public sealed record Ready(IActorRef Producer);

    private readonly string nodeId;
    private readonly ILogger logger;
    private readonly LinkedList<(NodeReport Report, IActorRef Source)> pending = new();
    private readonly Queue<(NodeReport Report, IActorRef Source)> storing = new();
    private IActorRef? producer;
    private IActorRef? sendNextTo;
    private int producersMade;

    public OutboxActor(string nodeId, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        this.nodeId = nodeId;
        logger = loggers.CreateLogger<OutboxActor>();
        Receive<ProducerController.RequestNext<NodeReport>>(next => next.SendNextTo.Equals(producer), next =>
        {
            sendNextTo = next.SendNextTo;
            TrySend();
        });
        Receive<ProducerController.RequestNext<NodeReport>>(_ => { }); // from a producer already replaced
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(producer), _ => ReplaceProducer());
        Receive<Send>(send =>
        {
            pending.AddLast((send.Report, Sender));
            TrySend();
        });

        // The durable queue confirms in order: the oldest report waiting for it is the one stored.
        Receive<long>(_ => Sender.Equals(producer), _ =>
        {
            if (storing.TryDequeue(out var stored))
            {
                stored.Source.Tell(new EventStored(stored.Report.SourceId, stored.Report.SequenceNr));
            }
        });
    }

    public static Props Props(string nodeId, ILoggerFactory loggers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(loggers);
        return Akka.Actor.Props.Create(() => new OutboxActor(nodeId, loggers));
    }

    public static string ProducerIdOf(string nodeId) => $"node-{nodeId}";

    public static string QueueIdOf(string nodeId) => $"outbox-{nodeId}";

    /// <summary>A producer that fails is stopped (a restarted one would wait for a consumer that never registers again) and replaced.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(failure =>
    {
        LogProducerFailed(logger, nodeId, failure.Message);
        return Directive.Stop;
    });

    protected override void PreStart() => StartProducer();

    private void StartProducer()
    {
        var settings = EventSourcedProducerQueue.Settings.Create(Context.System) with
        {
            JournalPluginId = FarmPersistence.NodeJournalId,
            SnapshotPluginId = FarmPersistence.NodeSnapshotId,
        };
        var queue = EventSourcedProducerQueue.Create<NodeReport>(QueueIdOf(nodeId), settings);
        producer = Context.ActorOf(ProducerController.Create<NodeReport>(Context, ProducerIdOf(nodeId), Option<Props>.Create(queue)), $"producer-{++producersMade}");
        Context.Watch(producer);
        producer.Tell(new ProducerController.Start<NodeReport>(Self));
        Context.Parent.Tell(new Ready(producer));
    }

    /// <summary>
    /// The producer stopped (and its queue with it). Reports handed to it and not yet confirmed as
    /// stored go out again first: stored ones come twice, and the controller applies each once.
    /// </summary>
    private void ReplaceProducer()
    {
        foreach (var unconfirmed in storing.Reverse())
        {
            pending.AddFirst(unconfirmed); // in their order: the controller skips a report older than one it applied
        }

        storing.Clear();
        sendNextTo = null;
        StartProducer();
    }

    private void TrySend()
    {
        if (sendNextTo is null || pending.First is not { } first)
        {
            return;
        }

        pending.RemoveFirst();
        sendNextTo.Tell(new ProducerController.MessageWithConfirmation<NodeReport>(first.Value.Report, Self));
        storing.Enqueue(first.Value);
        sendNextTo = null;
    }

    [LoggerMessage(EventId = 2210, Level = LogLevel.Warning, Message = "Node {NodeId}: the outbox's producer failed ({Reason}); starting a new one on the same queue and registering it with the controller")]
    private static partial void LogProducerFailed(ILogger logger, string nodeId, string reason);
}
