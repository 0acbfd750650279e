using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Delivery;
using Akka.Util;
using Farm.Messages;
using Farm.Messages.Protocol;

namespace Farm.Node.Tests.Akka;

/// <summary>
/// What the controller singleton does for a node, as far as these specs need: answers
/// <see cref="RegisterNode"/>, consumes the node's outbox with a real ConsumerController (confirming
/// each batch of reports, or holding them unconfirmed when asked), and keeps each (source, sequence number)
/// once, as the controller applies them.
/// </summary>
internal sealed class ReportLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<long, IFarmEvent>> _bySource = new(StringComparer.Ordinal);
    private readonly List<NodeReport> _arrivals = [];
    private readonly Dictionary<(string SourceId, long SequenceNr), long> _firstArrival = [];
    private int _deliveries;
    private int _held;

    public ConcurrentQueue<DriveLive> Live { get; } = new();

    /// <summary>Every claim for a verified disc the controller received, re-asks included.</summary>
    public ConcurrentQueue<VerifiedDiscClaim> Claims { get; } = new();

    /// <summary>The RegisterNode messages this controller answered.</summary>
    public ConcurrentQueue<RegisterNode> Registrations { get; } = new();

    /// <summary>How many deliveries (batches of reports) arrived, re-deliveries included.</summary>
    public int Deliveries
    {
        get
        {
            lock (_gate)
            {
                return _deliveries;
            }
        }
    }

    /// <summary>How many deliveries the controller held unconfirmed (<see cref="ControllerStandIn.Confirming"/> off).</summary>
    public int HeldDeliveries
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    public void Held()
    {
        lock (_gate)
        {
            _held++;
        }
    }

    /// <summary>Every report of one delivery, in the order the batch holds them.</summary>
    public void Add(NodeReportBatch batch)
    {
        lock (_gate)
        {
            _deliveries++;
            foreach (var report in batch.Reports)
            {
                _arrivals.Add(report);
                if (!_bySource.TryGetValue(report.SourceId, out var events))
                {
                    _bySource[report.SourceId] = events = [];
                }

                events.TryAdd(report.SequenceNr, report.Event);
                _firstArrival.TryAdd((report.SourceId, report.SequenceNr), System.Diagnostics.Stopwatch.GetTimestamp());
            }
        }
    }

    /// <summary>Every report as it arrived, duplicates included.</summary>
    public IReadOnlyList<NodeReport> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    /// <summary>The source's events in sequence order, each once.</summary>
    public IReadOnlyList<IFarmEvent> Events(string sourceId)
    {
        lock (_gate)
        {
            return _bySource.TryGetValue(sourceId, out var events) ? [.. events.Values] : [];
        }
    }

    /// <summary>When each of the source's events first reached the controller (Stopwatch ticks), with the event.</summary>
    public IReadOnlyList<(long Timestamp, IFarmEvent Event)> Timed(string sourceId)
    {
        lock (_gate)
        {
            return _bySource.TryGetValue(sourceId, out var events) ? [.. events.Select(e => (_firstArrival[(sourceId, e.Key)], e.Value))] : [];
        }
    }

    public IReadOnlyList<long> SequenceNrs(string sourceId)
    {
        lock (_gate)
        {
            return _bySource.TryGetValue(sourceId, out var events) ? [.. events.Keys] : [];
        }
    }
}

internal sealed class ControllerStandIn : ReceiveActor
{
    /// <summary>Stop confirming (reports stay in the node's durable queue) or start again.</summary>
    public sealed record Confirming(bool On);

    private readonly Dictionary<IActorRef, IActorRef> _consumers = [];
    private readonly Queue<IActorRef> _unconfirmed = new();
    private bool _confirming = true;
    private int _consumerCount;

    /// <summary>Counts every verified disc, as the controller does while the attempt is still the drive's.</summary>
    public static VerifiedDiscAnswer? CountEveryDisc(VerifiedDiscClaim claim) => new(claim.JobId, claim.Copy, claim.Attempt, true, null);

    /// <param name="answerClaim">The answer to a claim for a verified disc; null: no answer (a controller that cannot be reached).</param>
    public ControllerStandIn(ReportLog log, string? refuseWith, Func<VerifiedDiscClaim, VerifiedDiscAnswer?> answerClaim)
    {
        Receive<VerifiedDiscClaim>(claim =>
        {
            log.Claims.Enqueue(claim);
            if (answerClaim(claim) is { } answer)
            {
                Sender.Tell(answer);
            }
        });
        Receive<RegisterNode>(register =>
        {
            log.Registrations.Enqueue(register);
            if (refuseWith is not null)
            {
                Sender.Tell(new NodeRefused(register.NodeId, refuseWith));
                return;
            }

            if (!_consumers.ContainsKey(register.Producer))
            {
                var consumer = Context.ActorOf(ConsumerController.Create<NodeReportBatch>(Context, Option<IActorRef>.None), $"consumer-{++_consumerCount}");
                consumer.Tell(new ConsumerController.Start<NodeReportBatch>(Self));
                consumer.Tell(new ConsumerController.RegisterToProducerController<NodeReportBatch>(register.Producer));
                _consumers[register.Producer] = consumer;
            }

            Sender.Tell(new NodeRegistered(register.NodeId));
        });
        Receive<ConsumerController.Delivery<NodeReportBatch>>(delivery =>
        {
            log.Add(delivery.Message);
            if (_confirming)
            {
                delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
            }
            else
            {
                log.Held();
                _unconfirmed.Enqueue(delivery.ConfirmTo);
            }
        });
        Receive<Confirming>(change =>
        {
            _confirming = change.On;
            while (_confirming && _unconfirmed.TryDequeue(out var confirmTo))
            {
                confirmTo.Tell(ConsumerController.Confirmed.Instance);
            }
        });
        Receive<DriveLive>(live => log.Live.Enqueue(live));
    }

    public static Props Props(ReportLog log, string? refuseWith = null, Func<VerifiedDiscClaim, VerifiedDiscAnswer?>? answerClaim = null) =>
        global::Akka.Actor.Props.Create(() => new ControllerStandIn(log, refuseWith, answerClaim ?? CountEveryDisc));
}
