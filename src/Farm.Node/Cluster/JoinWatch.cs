using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Cluster;

/// <summary>
/// Makes a node process that cannot be a member of the farm's cluster exit, so that its supervisor
/// (systemd <c>Restart=always</c>, compose <c>restart:</c>) starts it again with a fresh incarnation.
/// Two ways a node gets stuck, both found by the chaos test (docs/RELIABILITY.md §4): a node
/// SIGKILLed and started again at once on the same port is refused while the cluster still holds
/// its old incarnation ("the remote system has quarantined this system"), and Akka.Remote never
/// lets a quarantined system back in; it waited 150 s before. So: not Up within
/// <c>joinPatience</c> of starting, or told it is quarantined by another member, the node shuts its
/// ActorSystem down with <see cref="NotJoinedReason"/> and its process exits 1.
/// </summary>
public sealed partial class JoinWatch : ReceiveActor, IWithTimers
{
    private const string PatienceTimer = "join-patience";
    private readonly TimeSpan _joinPatience;
    private readonly ILogger _logger;
    private bool _leaving;

    public JoinWatch(TimeSpan joinPatience, ILogger logger)
    {
        _joinPatience = joinPatience;
        _logger = logger;
        Receive<ClusterEvent.MemberUp>(up => up.Member.UniqueAddress.Equals(Akka.Cluster.Cluster.Get(Context.System).SelfUniqueAddress), _ => Timers.Cancel(PatienceTimer));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<PatienceOver>(_ => Leave(new NotJoinedReason($"it did not become a member of the farm's cluster within {_joinPatience.TotalSeconds:F0} s of starting")));
        Receive<ThisActorSystemQuarantinedEvent>(quarantined => Leave(new NotJoinedReason($"{quarantined.RemoteAddress} quarantined this incarnation ({quarantined.LocalAddress}), which can then never rejoin")));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="joinPatience">How long the node may take to become an Up member (<see cref="FarmClusterOptions.JoinPatience"/>).</param>
    public static Props Props(TimeSpan joinPatience, ILogger logger)
    {
        if (joinPatience <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the join patience must be positive, not {joinPatience}", nameof(joinPatience));
        }

        return Akka.Actor.Props.Create(() => new JoinWatch(joinPatience, logger));
    }

    protected override void PreStart()
    {
        Timers.StartSingleTimer(PatienceTimer, PatienceOver.Instance, _joinPatience);
        Context.System.EventStream.Subscribe(Self, typeof(ThisActorSystemQuarantinedEvent));
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private void Leave(NotJoinedReason reason)
    {
        if (_leaving)
        {
            return;
        }

        _leaving = true;
        LogLeaving(reason.Why);
        CoordinatedShutdown.Get(Context.System).Run(reason);
    }

    private sealed class PatienceOver
    {
        public static readonly PatienceOver Instance = new();
    }

    [LoggerMessage(EventId = 2302, Level = LogLevel.Critical, Message = "This node cannot be a member of the farm's cluster: {Why}; exiting, for its supervisor to start it again with a fresh incarnation")]
    private partial void LogLeaving(string why);
}

/// <summary>Why a node's ActorSystem shut down: it could not become (or stay) a member of the cluster.</summary>
public sealed class NotJoinedReason(string why) : NodeRestartReason(why, "with a fresh incarnation");
