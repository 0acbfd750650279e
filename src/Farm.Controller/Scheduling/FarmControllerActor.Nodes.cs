using Akka.Actor;
using Akka.Cluster;
using Akka.Delivery;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

// Nodes: registration (and refusal of a duplicate id), liveness from cluster membership, reports by
// Akka.Delivery, live figures, and the commands passed on to a node.
public sealed partial class FarmControllerActor
{
    /// <summary>A node registered with this incarnation: where to send its commands, and the consumer of its reports.</summary>
    private sealed record NodeLink(IActorRef Node, IActorRef Producer, IActorRef Consumer, Address Address);

    private readonly Dictionary<string, NodeLink> _links = new(StringComparer.Ordinal);

    /// <summary>Reports received and not yet persisted, in arrival order: the next write (<see cref="Flush"/>).</summary>
    private readonly List<BatchedReport> _reportBatch = [];

    /// <summary>Where to confirm each batch with a report in <see cref="_reportBatch"/>, once that write is persisted.</summary>
    private readonly List<IActorRef> _batchConfirmations = [];

    /// <summary>The sources with a report in <see cref="_reportBatch"/>, and the highest sequence number there.</summary>
    private readonly Dictionary<string, long> _batchedSources = new(StringComparer.Ordinal);
    private int _consumersMade;

    /// <summary>A <see cref="FlushReports"/> is in the mailbox: what waits for the next write goes in it.</summary>
    private bool _flushAsked;

    private void NodeCommands()
    {
        Command<RegisterNode>(Register);
        Command<ConsumerController.Delivery<NodeReportBatch>>(Report);
        Command<FlushReports>(_ => Flush());
        Command<DriveLive>(Live);
        Command<NodeImageReads>(Live);
        Command<ControlDrive>(ControlDrive);
        Command<ClusterEvent.MemberRemoved>(removed => MemberGone(removed.Member.Address));
        Command<ClusterEvent.IMemberEvent>(_ => { });
        Command<Terminated>(_ => { });
    }

    private void SubscribeToMembership() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        base.PostStop();
    }

    private static Address AddressOf(IActorRef actor) =>
        actor.Path.Address.HasGlobalScope ? actor.Path.Address : Akka.Cluster.Cluster.Get(Context.System).SelfAddress;

    /// <summary>Whether a member at this address is in the cluster now (joining, up or on its way out, but not removed or downed).</summary>
    private static bool IsLiveMember(Address address) =>
        Akka.Cluster.Cluster.Get(Context.System).State.Members.Any(m => m.Address.Equals(address) && m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp or MemberStatus.Up or MemberStatus.Leaving);

    private void Register(RegisterNode register)
    {
        var address = AddressOf(register.Node);
        var known = _state.Nodes.GetValueOrDefault(register.NodeId);
        var holder = _links.TryGetValue(register.NodeId, out var linked) ? linked.Address : known is { Lost: false, Address: { } a } ? Address.Parse(a) : null;
        if (holder is not null && !SameHost(holder, address) && IsLiveMember(holder))
        {
            var why = $"node id '{register.NodeId}' is already used by a live member of the farm at {holder}; give this node another --node-id, or stop that one first";
            LogNodeRefused(register.NodeId, address, why);
            Sender.Tell(new NodeRefused(register.NodeId, why));
            return;
        }

        Link(register, address);
        if (known is { Lost: false } && known.Address == address.ToString())
        {
            Sender.Tell(new NodeRegistered(register.NodeId));
            Resend(register.NodeId);
            return;
        }

        var sender = Sender;
        PersistAndDecide([new NodeJoined(register.NodeId, address.ToString(), _time.GetUtcNow(), register.Drives)], () =>
        {
            LogNodeJoined(register.NodeId, address, register.Drives.Count);
            sender.Tell(new NodeRegistered(register.NodeId));
            Resend(register.NodeId);
        });
    }

    /// <summary>The same host and port: a node restarted in place (a new incarnation replaces the old member).</summary>
    private static bool SameHost(Address a, Address b) => a.Host == b.Host && a.Port == b.Port;

    /// <summary>A consumer of the node's reports for this incarnation, registered with the node's producer (a new producer, a new consumer).</summary>
    private void Link(RegisterNode register, Address address)
    {
        if (_links.TryGetValue(register.NodeId, out var old))
        {
            if (old.Producer.Equals(register.Producer))
            {
                _links[register.NodeId] = old with { Node = register.Node, Address = address };
                return;
            }

            Context.Stop(old.Consumer);
        }

        var consumer = Context.ActorOf(
            ConsumerController.Create<NodeReportBatch>(Context, Akka.Util.Option<IActorRef>.None),
            $"reports-{Uri.EscapeDataString(register.NodeId)}-{++_consumersMade}");
        consumer.Tell(new ConsumerController.Start<NodeReportBatch>(Self));
        consumer.Tell(new ConsumerController.RegisterToProducerController<NodeReportBatch>(register.Producer));
        _links[register.NodeId] = new NodeLink(register.Node, register.Producer, consumer, address);
    }

    /// <summary>
    /// A batch of a node's persisted events: each applied once per (source, sequence number), in
    /// order per source, and the batch confirmed only after the controller persisted all of it.
    /// Sector progress is live only: applied, never persisted. Reports are not persisted batch by
    /// batch: each joins the pending write, and that is persisted with one write when the flush the
    /// first of them asked for comes round in the mailbox, so the batches of many nodes that arrive
    /// during one journal write share the next one.
    /// </summary>
    private void Report(ConsumerController.Delivery<NodeReportBatch> delivery)
    {
        var batched = false;
        foreach (var report in delivery.Message.Reports)
        {
            batched |= Report(report);
        }

        if (batched)
        {
            _batchConfirmations.Add(delivery.ConfirmTo);
        }
        else
        {
            delivery.ConfirmTo.Tell(ConsumerController.Confirmed.Instance);
        }
    }

    /// <summary>One report of a batch: dropped when applied before, applied now when it is progress with nothing of its source waiting, else waiting for the next write (true).</summary>
    private bool Report(NodeReport report)
    {
        if (_state.AppliedReports.TryGetValue(report.SourceId, out var applied) && report.SequenceNr <= applied)
        {
            return false;
        }

        if (report.Event is SectorsWritten progress && !_batchedSources.ContainsKey(report.SourceId))
        {
            ApplyProgress(report, progress);
            return false;
        }

        // Progress from a source with a report in the batch waits for it, to be applied after it in order.
        _reportBatch.Add(new BatchedReport(report, _time.GetUtcNow()));
        _batchedSources[report.SourceId] = Math.Max(report.SequenceNr, _batchedSources.GetValueOrDefault(report.SourceId));
        AskForFlush();
        return true;
    }

    /// <summary>The reports and claims waiting, in one journal write (with the decisions taken on them); each batch of reports confirmed, and each counted claim answered, once all of it is persisted and applied.</summary>
    private void Flush()
    {
        _flushAsked = false;
        if (_reportBatch.Count == 0 && _claimBatch.Count == 0)
        {
            return;
        }

        var batch = _reportBatch.ToList();
        var confirmations = _batchConfirmations.ToList();
        _reportBatch.Clear();
        _batchConfirmations.Clear();
        _batchedSources.Clear();
        var once = new HashSet<(string, long)>();
        var events = batch
            .Where(b => b.Report.Event is not SectorsWritten && once.Add((b.Report.SourceId, b.Report.SequenceNr)))
            .Select(b => (IFarmEvent)new NodeReported(b.Report.NodeId, b.Report.SourceId, b.Report.SequenceNr, b.Report.Event, b.ReceivedAt))
            .ToList();
        var (counted, answers) = JudgeClaims();
        events.AddRange(counted);

        void Confirm()
        {
            foreach (var (report, _) in batch)
            {
                if (report.Event is SectorsWritten progress
                    && !(_state.AppliedReports.TryGetValue(report.SourceId, out var applied) && report.SequenceNr <= applied))
                {
                    ApplyProgress(report, progress);
                }
            }

            foreach (var confirm in confirmations)
            {
                confirm.Tell(ConsumerController.Confirmed.Instance);
            }

            foreach (var answer in answers)
            {
                answer();
            }
        }

        if (events.Count == 0)
        {
            Confirm();
            return;
        }

        PersistAndDecide(events, Confirm);
    }

    /// <summary>One flush in the mailbox for whatever waits for the next write (reports, claims), asked by the first of them.</summary>
    private void AskForFlush()
    {
        if (!_flushAsked)
        {
            _flushAsked = true;
            Self.Tell(FlushReports.Instance);
        }
    }

    private void ApplyProgress(NodeReport report, SectorsWritten progress) =>
        _state = FarmProjection.Apply(_state, progress, LastSequenceNr) with { AppliedReports = _state.AppliedReports.SetItem(report.SourceId, report.SequenceNr) };

    /// <summary>Live figures for the console: into the state in memory, never persisted.</summary>
    private void Live(DriveLive live)
    {
        if (_state.Drives.TryGetValue(live.DriveId, out var drive) && drive.Status == DriveStatus.Busy)
        {
            _state = _state.WithDrive(drive with
            {
                LastWrittenLba = Math.Max(drive.LastWrittenLba, live.LastWrittenLba),
                TotalBlocks = live.TotalBlocks > 0 ? live.TotalBlocks : drive.TotalBlocks,
                BytesPerSecond = live.CurrentBytesPerSecond,
                FifoFill = live.BufferFill,
                DriveBufferFill = live.DriveBufferFill,
            });
        }
    }

    /// <summary>A node's per-image read figures: into the state in memory, never persisted; a node the controller does not know (yet) is ignored.</summary>
    private void Live(NodeImageReads reads)
    {
        if (_state.Nodes.TryGetValue(reads.NodeId, out var node))
        {
            _state = _state.WithNode(node with { ImageReads = reads.Images });
        }
    }

    private void ControlDrive(ControlDrive control)
    {
        var command = control.Command;
        if (!_state.Drives.TryGetValue(command.DriveId, out var drive))
        {
            Sender.Tell(new CommandRefused($"there is no drive '{command.DriveId}'", NotFound: true));
            return;
        }

        if (!_links.TryGetValue(drive.NodeId, out var link))
        {
            Sender.Tell(new CommandRefused($"drive {command.DriveId}'s node {drive.NodeId} is not connected to the controller now; try again when it is"));
            return;
        }

        link.Node.Tell(command);
        Sender.Tell(new CommandAccepted($"drive {command.DriveId}: {command.Action} sent to node {drive.NodeId}"));
    }

    /// <summary>The cluster removed a member: a node there is lost, its copies in flight go back to the queue.</summary>
    private void MemberGone(Address address)
    {
        var gone = _state.Nodes.Values.Where(n => !n.Lost && n.Address == address.ToString()).Select(n => n.NodeId).ToList();
        foreach (var nodeId in gone)
        {
            if (_links.TryGetValue(nodeId, out var link) && !link.Address.Equals(address))
            {
                continue; // it registered again from a new incarnation already
            }

            _links.Remove(nodeId);
            LogNodeLost(nodeId, address, "removed from the cluster");
        }

        var lost = gone.Where(id => !_links.ContainsKey(id)).ToList();
        if (lost.Count > 0)
        {
            var now = _time.GetUtcNow();
            PersistAndDecide([.. lost.Select(id => (IFarmEvent)new Messages.Jobs.NodeLost(id, _state.Nodes[id].LastSeen, now))]);
        }
    }

    /// <summary>
    /// After a failover, a node the journal knows that did not register within the grace and whose
    /// address is no cluster member any more is lost (it died while the controller moved): its
    /// <see cref="Messages.Jobs.NodeLost"/> events, for the caller's one write.
    /// </summary>
    private List<IFarmEvent> SilentNodesLost(DateTimeOffset now)
    {
        if (now - _startedDeciding < _options.RegistrationGrace)
        {
            return [];
        }

        var silent = _state.Nodes.Values
            .Where(n => !n.Lost && !_links.ContainsKey(n.NodeId) && (n.Address is null || !IsLiveMember(Address.Parse(n.Address))))
            .Select(n => n.NodeId)
            .ToList();
        foreach (var nodeId in silent)
        {
            LogNodeLost(nodeId, _state.Nodes[nodeId].Address ?? "(unknown)", $"did not register within {_options.RegistrationGrace.TotalSeconds:F0} s of this controller starting and is not a cluster member");
        }

        return [.. silent.Select(id => (IFarmEvent)new Messages.Jobs.NodeLost(id, _state.Nodes[id].LastSeen, now))];
    }

    /// <summary>A report waiting for the next write, and when it arrived (its NodeReported's time).</summary>
    private sealed record BatchedReport(NodeReport Report, DateTimeOffset ReceivedAt);

    private sealed class FlushReports
    {
        public static readonly FlushReports Instance = new();
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Node {NodeId} joined from {Address} with {Drives} drives")]
    private partial void LogNodeJoined(string nodeId, Address address, int drives);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Node {NodeId} at {Address} refused: {Why}")]
    private partial void LogNodeRefused(string nodeId, Address address, string why);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Node {NodeId} at {Address} lost: {Why}; its copies in flight are re-queued")]
    private partial void LogNodeLost(string nodeId, object address, string why);
}
