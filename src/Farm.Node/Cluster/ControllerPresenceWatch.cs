using Akka.Actor;
using Akka.Cluster;
using Farm.Messages.Protocol;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Cluster;

/// <summary>
/// Makes a node leave a cluster that has lost every controller. Controllers join through the seeds,
/// and the seeds are the controllers: once every controller of this cluster is gone (killed, or
/// downed by the Split Brain Resolver), a controller started again finds no seed alive and forms a
/// cluster of its own, which this node would never see; the node would wait for a singleton that
/// cannot come. So when no member of the controller role has been in the cluster for
/// <c>absenceLimit</c>, the node shuts its ActorSystem down with <see cref="ControllersGoneReason"/>
/// and its process exits non-zero; its supervisor (systemd <c>Restart=always</c>, compose
/// <c>restart:</c>) starts it again and it joins the controllers' cluster through the seeds.
/// Found by the chaos test (a standby controller downed while the singleton's host restarted).
/// <para>
/// Before that, while no controller of the cluster is reachable, the node invites the first seed
/// controller into its cluster every <see cref="InviteInterval"/> (<see cref="JoinThisCluster"/>):
/// a controller restarted in place is not a member of anything yet, joins this cluster through
/// the node instead of forming its own, and the node's burns go on (the absence limit is then
/// never reached).
/// </para>
/// </summary>
public sealed partial class ControllerPresenceWatch : ReceiveActor, IWithTimers
{
    /// <summary>How often a node without a reachable controller invites the first seed controller.</summary>
    public static readonly TimeSpan InviteInterval = TimeSpan.FromSeconds(1);

    private const string AbsenceTimer = "controllers-absent";
    private const string InviteTimer = "invite-controller";
    private readonly TimeSpan _absenceLimit;
    private readonly string? _firstSeed;
    private readonly ILogger _logger;
    private readonly HashSet<UniqueAddress> _controllers = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];
    private bool _selfUp;

    /// <param name="absenceLimit">How long the cluster may have no controller member before the node leaves it.</param>
    /// <param name="firstSeed">The first seed controller's Akka address, invited while no controller is reachable; null: none (a process of one).</param>
    /// <param name="logger">Where the node says it leaves, and why.</param>
    public ControllerPresenceWatch(TimeSpan absenceLimit, string? firstSeed, ILogger logger)
    {
        _absenceLimit = absenceLimit;
        _firstSeed = firstSeed;
        _logger = logger;
        Receive<ClusterEvent.CurrentClusterState>(Initial);
        Receive<ClusterEvent.IMemberEvent>(Changed);
        Receive<ClusterEvent.UnreachableMember>(u => Reachability(u.Member, reachable: false));
        Receive<ClusterEvent.ReachableMember>(r => Reachability(r.Member, reachable: true));
        Receive<AbsenceOver>(_ => Leave());
        Receive<InviteNow>(_ => Invite());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan absenceLimit, string? firstSeed, ILogger logger) =>
        Akka.Actor.Props.Create(() => new ControllerPresenceWatch(absenceLimit, firstSeed, logger));

    // The initial state as one snapshot, not as events: replayed one member at a time, this node
    // could see itself up before the controller and invite (or start its clock) for nothing.
    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(
            Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Initial(ClusterEvent.CurrentClusterState state)
    {
        foreach (var member in state.Members)
        {
            Track(member, gone: member.Status is MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Removed);
        }

        foreach (var member in state.Unreachable.Where(m => m.HasRole(FarmClusterOptions.ControllerRole)))
        {
            _unreachable.Add(member.UniqueAddress);
        }

        Evaluate();
    }

    private void Changed(ClusterEvent.IMemberEvent change)
    {
        Track(change.Member, gone: change is ClusterEvent.MemberRemoved or ClusterEvent.MemberExited or ClusterEvent.MemberDowned);
        Evaluate();
    }

    private void Track(Member member, bool gone)
    {
        if (member.UniqueAddress.Equals(Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress) && member.Status == MemberStatus.Up)
        {
            // Before this node is up it has no cluster to leave: joining is the seeds' business.
            _selfUp = true;
        }

        if (!member.HasRole(FarmClusterOptions.ControllerRole))
        {
            return;
        }

        if (gone)
        {
            _controllers.Remove(member.UniqueAddress);
            _unreachable.Remove(member.UniqueAddress);
        }
        else
        {
            _controllers.Add(member.UniqueAddress);
        }
    }

    private void Evaluate()
    {
        if (_controllers.Count > 0)
        {
            Timers.Cancel(AbsenceTimer);
        }
        else if (_selfUp && !Timers.IsTimerActive(AbsenceTimer))
        {
            LogControllersGone(_absenceLimit.TotalSeconds);
            Timers.StartSingleTimer(AbsenceTimer, AbsenceOver.Instance, _absenceLimit);
        }

        InviteWhileNoControllerIsReachable();
    }

    private void Reachability(Member member, bool reachable)
    {
        if (!member.HasRole(FarmClusterOptions.ControllerRole))
        {
            return;
        }

        if (reachable)
        {
            _unreachable.Remove(member.UniqueAddress);
        }
        else
        {
            _unreachable.Add(member.UniqueAddress);
        }

        InviteWhileNoControllerIsReachable();
    }

    /// <summary>
    /// Invites from the moment the last controller is unreachable, not only once it is removed: a
    /// controller restarted in place may be up again before the old one is downed, and waits
    /// (<see cref="FarmClusterOptions.RejoinWait"/>) only so long; Akka lets a new incarnation at
    /// an address join and removes the old one then.
    /// </summary>
    private void InviteWhileNoControllerIsReachable()
    {
        var reachable = _controllers.Count(c => !_unreachable.Contains(c));
        if (reachable > 0 || !_selfUp || _firstSeed is null)
        {
            Timers.Cancel(InviteTimer);
        }
        else if (!Timers.IsTimerActive(InviteTimer))
        {
            Invite();
            Timers.StartPeriodicTimer(InviteTimer, InviteNow.Instance, InviteInterval);
        }
    }

    private void Invite()
    {
        var self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;
        Context.ActorSelection($"{_firstSeed}/user/{FarmClusterOptions.ControllerJoinName}").Tell(new JoinThisCluster(self.ToString()));
    }

    private void Leave()
    {
        LogLeaving(_absenceLimit.TotalSeconds);
        CoordinatedShutdown.Get(Context.System).Run(new ControllersGoneReason(_absenceLimit));
    }

    private sealed class AbsenceOver
    {
        public static readonly AbsenceOver Instance = new();
    }

    private sealed class InviteNow
    {
        public static readonly InviteNow Instance = new();
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "No controller is a member of this node's cluster any more; the node leaves it in {Seconds:F0} s unless one joins")]
    private partial void LogControllersGone(double seconds);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Critical, Message = "No controller joined this node's cluster for {Seconds:F0} s: leaving it, to join the controllers again through the seeds")]
    private partial void LogLeaving(double seconds);
}

/// <summary>Why a node's ActorSystem shut down: its cluster had no controller for too long.</summary>
public sealed class ControllersGoneReason(TimeSpan absenceLimit)
    : NodeRestartReason($"no controller in the cluster for {absenceLimit.TotalSeconds:F0} s", "and it joins the controllers through the seeds")
{
    public TimeSpan AbsenceLimit { get; } = absenceLimit;
}
