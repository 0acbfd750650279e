using Akka.Actor;
using Akka.Cluster;
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
/// </summary>
public sealed partial class ControllerPresenceWatch : ReceiveActor, IWithTimers
{
    private const string AbsenceTimer = "controllers-absent";
    private readonly TimeSpan _absenceLimit;
    private readonly ILogger _logger;
    private readonly HashSet<UniqueAddress> _controllers = [];
    private bool _selfUp;

    public ControllerPresenceWatch(TimeSpan absenceLimit, ILogger logger)
    {
        _absenceLimit = absenceLimit;
        _logger = logger;
        Receive<ClusterEvent.IMemberEvent>(Changed);
        Receive<AbsenceOver>(_ => Leave());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan absenceLimit, ILogger logger) =>
        Akka.Actor.Props.Create(() => new ControllerPresenceWatch(absenceLimit, logger));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Changed(ClusterEvent.IMemberEvent change)
    {
        var member = change.Member;
        var self = Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress;
        if (member.UniqueAddress.Equals(self) && member.Status == MemberStatus.Up)
        {
            // Before this node is up it has no cluster to leave: joining is the seeds' business.
            _selfUp = true;
        }

        if (member.HasRole(FarmClusterOptions.ControllerRole))
        {
            if (change is ClusterEvent.MemberRemoved or ClusterEvent.MemberExited or ClusterEvent.MemberDowned)
            {
                _controllers.Remove(member.UniqueAddress);
            }
            else
            {
                _controllers.Add(member.UniqueAddress);
            }
        }

        if (_controllers.Count > 0)
        {
            Timers.Cancel(AbsenceTimer);
        }
        else if (_selfUp && !Timers.IsTimerActive(AbsenceTimer))
        {
            LogControllersGone(_absenceLimit.TotalSeconds);
            Timers.StartSingleTimer(AbsenceTimer, AbsenceOver.Instance, _absenceLimit);
        }
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
