using Akka.Actor;
using Akka.Cluster;
using Farm.Messages.Protocol;
using Farm.Node.Cluster;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Hosting;

/// <summary>
/// How the first seed controller joins: the one controller that forms a cluster when no other seed
/// answers. Started again in place while its nodes burn on in the cluster it left, it must join
/// them, not form a cluster of its own that they would never meet (they would leave theirs and
/// cut every burn: docs/OPERATIONS.md). So, until it is a member, an invitation from a node of a
/// cluster without a reachable controller (<see cref="JoinThisCluster"/>, sent by
/// <see cref="ControllerPresenceWatch"/>) makes it join that cluster. Otherwise it joins as before:
/// with other seeds, through Akka's seed process (which forms a cluster alone after
/// seed-node-timeout when none answers); as the only seed, alone once
/// <see cref="FarmClusterOptions.RejoinWait"/> has passed with no invitation. It stops once a member.
/// </summary>
public sealed partial class ControllerJoin : ReceiveActor, IWithTimers
{
    private const string AloneTimer = "form-alone";
    private readonly IReadOnlyList<Address> _seeds;
    private readonly TimeSpan _rejoinWait;
    private readonly ILogger _logger;
    private bool _invited;
    private bool _formedAlone;

    /// <param name="seeds">The configured seeds, this process first.</param>
    /// <param name="rejoinWait">How long a lone controller waits for an invitation before it forms a cluster alone.</param>
    /// <param name="logger">Where it says whom it joins.</param>
    public ControllerJoin(IReadOnlyList<Address> seeds, TimeSpan rejoinWait, ILogger logger)
    {
        _seeds = seeds;
        _rejoinWait = rejoinWait;
        _logger = logger;
        Receive<JoinThisCluster>(Invited);
        Receive<FormAlone>(_ => FormsAlone());
        Receive<ClusterEvent.IMemberEvent>(Member);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<Address> seeds, TimeSpan rejoinWait, ILogger logger) =>
        Akka.Actor.Props.Create(() => new ControllerJoin(seeds, rejoinWait, logger));

    protected override void PreStart()
    {
        var cluster = Cluster.Get(Context.System);
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        if (_seeds.Count > 1)
        {
            // Akka's first-seed process: asks the other seeds, forms a cluster alone if none answers.
            cluster.JoinSeedNodes(_seeds);
        }
        else
        {
            Timers.StartSingleTimer(AloneTimer, FormAlone.Instance, _rejoinWait);
        }
    }

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    /// <summary>
    /// Joins the inviting node's cluster, and again at each invitation until a member: the first
    /// join often goes unanswered, the node's answer held back by Akka.Remote's retry gate toward
    /// this address (closed 5 s after the old incarnation died), and Akka itself would retry only
    /// after retry-unsuccessful-join-after (10 s), when the nodes may have left their cluster.
    /// </summary>
    private void Invited(JoinThisCluster invitation)
    {
        if (_formedAlone || !Address.TryParse(invitation.MemberAddress, out var member) || member.Equals(Cluster.Get(Context.System).SelfAddress))
        {
            return;
        }

        Timers.Cancel(AloneTimer);
        if (!_invited)
        {
            _invited = true;
            LogInvited(member);
        }

        // Cluster.Join stops Akka's seed process (or a join in progress), so the invitation wins over it.
        Cluster.Get(Context.System).Join(member);
    }

    /// <summary>No invitation came in time: this lone controller forms the cluster (it is a member at once, and stops).</summary>
    private void FormsAlone()
    {
        if (_invited)
        {
            return;
        }

        _formedAlone = true;
        LogAlone(_rejoinWait.TotalSeconds);
        var cluster = Cluster.Get(Context.System);
        cluster.Join(cluster.SelfAddress);
    }

    private void Member(ClusterEvent.IMemberEvent change)
    {
        if (change.Member.UniqueAddress.Equals(Cluster.Get(Context.System).SelfUniqueAddress))
        {
            Context.Stop(Self);
        }
    }

    private sealed class FormAlone
    {
        public static readonly FormAlone Instance = new();
    }

    [LoggerMessage(EventId = 2310, Level = LogLevel.Warning, Message = "A node of a cluster without a controller invited this controller: it joins that cluster at {Address}, whose burns go on")]
    private partial void LogInvited(Address address);

    [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "No node invited this controller within {Seconds:F0} s: it forms the cluster")]
    private partial void LogAlone(double seconds);
}
