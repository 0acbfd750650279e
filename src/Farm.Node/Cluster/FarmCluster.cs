using System.Globalization;
using System.Net;

namespace Farm.Node.Cluster;

/// <summary>
/// Where a process sits in the farm's Akka.Cluster: the address it listens on and the seed nodes it
/// joins through. Every process of the farm is one ActorSystem named <see cref="SystemName"/>.
/// </summary>
public sealed record FarmClusterOptions
{
    /// <summary>The ActorSystem's name: the same in every process, or they cannot join.</summary>
    public const string SystemName = "farm";

    /// <summary>The role of processes that may host the farm controller singleton (farm serve, farm demo).</summary>
    public const string ControllerRole = "controller";

    /// <summary>The role of processes that run towers and drives (farm-node, farm demo).</summary>
    public const string NodeRole = "node";

    /// <summary>
    /// The name of the actor (under /user) by which the first seed controller, before it is a
    /// member, takes a node's invitation into the node's cluster (<c>ControllerJoin</c>,
    /// <see cref="ControllerPresenceWatch"/>).
    /// </summary>
    public const string ControllerJoinName = "controller-join";

    public required string Host { get; init; }

    /// <summary>The TCP port; 0 picks a free one (tests, the embedded demo).</summary>
    public int Port { get; init; }

    /// <summary>Seed nodes as host:port; empty: this process seeds itself (a cluster of one, the demo).</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>
    /// How long a member may be silent before it is unreachable (heartbeats every 500 ms); then
    /// the Split Brain Resolver waits <see cref="StableAfter"/> and downs the minority.
    /// </summary>
    public TimeSpan AcceptableHeartbeatPause { get; init; } = TimeSpan.FromMilliseconds(1500);

    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a node process may take to become a member of the cluster before it exits (1) for
    /// its supervisor to start it again (<see cref="JoinWatch"/>): joining takes a second or two
    /// when a seed is up; a restarted node refused while the cluster still holds its old
    /// incarnation would otherwise wait minutes. 30 s: a node started with a lone controller
    /// waits for it to form the cluster (<see cref="RejoinWait"/>) and for its own next try
    /// (Akka's seed-node-timeout, 5 s).
    /// </summary>
    public TimeSpan JoinPatience { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a lone controller (the only seed) waits, before it forms a cluster of its own, for
    /// a node of the cluster it left to invite it back (<see cref="ControllerPresenceWatch"/>): a
    /// controller restarted in place joins the nodes' cluster, and their burns go on. The nodes
    /// invite once they see it unreachable, which takes the heartbeat pause, and Akka.Remote
    /// holds messages to a dead address back for 5 s (its retry gate); so the default is the
    /// heartbeat pause, that gate and 1 s for the invitation to come round (7.5 s by default; the
    /// restarted process takes 2 s or more to start, so its wait ends 9.5 s or more after the
    /// death, and the invitations came 5.2-5.4 s after it in LoneControllerTests). Nodes started
    /// with the controller join once it formed the cluster, well within their
    /// <see cref="JoinPatience"/>. Zero forms the cluster at once (a farm with no node running).
    /// </summary>
    public TimeSpan RejoinWait
    {
        get => _rejoinWait ?? AcceptableHeartbeatPause + RemoteRetryGate + TimeSpan.FromSeconds(1);
        init => _rejoinWait = value;
    }

    /// <summary>Akka.Remote's <c>retry-gate-closed-for</c> (its default): how long messages to an address whose connection failed are dropped.</summary>
    public static readonly TimeSpan RemoteRetryGate = TimeSpan.FromSeconds(5);

    private readonly TimeSpan? _rejoinWait;

    /// <summary>
    /// Whether this process is the first seed: the one controller that forms a cluster when no
    /// other seed answers. A node of a cluster without controllers invites this one
    /// (<see cref="FirstSeedAddress"/>), and it joins the nodes rather than forming a new cluster.
    /// </summary>
    public bool IsFirstSeed => Seeds.Count > 0 ? Seeds[0] == string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}") : Port != 0;

    /// <summary>The first seed's Akka address, or null with no seeds (the demo, tests of one process).</summary>
    public string? FirstSeedAddress => ControllerSeeds.Count > 0 ? $"akka.tcp://{SystemName}@{ControllerSeeds[0]}" : null;

    /// <summary>Every seed's Akka address, in the configured order.</summary>
    public IReadOnlyList<string> SeedAddresses => [.. ControllerSeeds.Select(s => $"akka.tcp://{SystemName}@{s}")];

    /// <summary>
    /// Where the socket binds: the address itself, or every interface when <see cref="Host"/> is a
    /// name (a container's service name), which the others reach it by.
    /// </summary>
    private string BindHost => IPAddress.TryParse(Host, out _) ? Host : "0.0.0.0";

    /// <summary>Parses "host:port", with a message saying what is wrong.</summary>
    public static (string Host, int Port) ParseEndpoint(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 0 or > 65535)
        {
            throw new ArgumentException($"{option} takes HOST:PORT (e.g. 127.0.0.1:4053), not '{text}'");
        }

        var host = text[..colon].Trim('[', ']');
        if (host.Length == 0 || (Uri.CheckHostName(host) == UriHostNameType.Unknown && !IPAddress.TryParse(host, out _)))
        {
            throw new ArgumentException($"{option}: '{host}' is not a host name or IP address");
        }

        return (host, port);
    }

    /// <summary>Parses a comma-separated list of seeds.</summary>
    public static IReadOnlyList<string> ParseSeeds(string? text, string option = "--seeds")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s =>
        {
            var (host, port) = ParseEndpoint(s, option);
            if (port == 0)
            {
                throw new ArgumentException($"{option}: a seed needs a real port, not 0 ('{s}')");
            }

            return string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
        })];
    }

    /// <summary>
    /// The role whose members the Split Brain Resolver counts (keep-majority), or null for every
    /// member. The seeds are the controllers (docs/OPERATIONS.md: every process has the same seed
    /// list, the controllers' addresses), so their number is the farm's number of controllers.
    /// With an odd number from three up only controllers are counted: the side with most of them
    /// stays, however many nodes the other side has, so nodes that lose sight of a stalled
    /// controller down themselves (their supervisors restart them and they rejoin), not the
    /// controller. With an even number (two, the usual pair) a crash of one controller is a 1:1
    /// tie among controllers, which keep-majority settles by the lowest address: the survivors
    /// would down themselves whenever the dead controller had the lower address. There every member
    /// is counted, so the nodes settle it and the standby takes over; nodes that outnumber the
    /// controllers can then still down a stalled one (the standby takes over, as after a crash).
    /// With one controller every member is counted too: counting it alone, its crash or restart
    /// made every node down itself and cut its burn; counting all, two nodes or more outvote a dead
    /// (or stalled) controller and burn on, and the controller, started again, joins them
    /// (<see cref="RejoinWait"/>). One controller and one node are a tie the lower address wins.
    /// No seeds and port 0 (tests, the embedded demo: one process joining itself) count every member.
    /// </summary>
    public string? SplitBrainRole => ControllerSeeds.Count > 1 && ControllerSeeds.Count % 2 == 1 ? ControllerRole : null;

    /// <summary>The seeds as written, or this process alone when it seeds itself on a fixed port.</summary>
    private IReadOnlyList<string> ControllerSeeds => Seeds.Count > 0 ? Seeds : Port == 0 ? [] : [$"{Host}:{Port}"];

    /// <summary>
    /// The HOCON for remoting, the cluster, the Split Brain Resolver and the farm serializer. SBR is
    /// keep-majority tuned for seconds, not minutes (DESIGN.md section 3: 9 s from SIGKILL to a new
    /// singleton with 3 members), counting the controllers only or every member
    /// (<see cref="SplitBrainRole"/>). Counting every member, a crash with two members left one on
    /// each side, and keep-majority keeps the side with the lowest address (host, then port; Akka's
    /// member ordering). Counting the controllers (three or more), the side with most of them
    /// stays and a node cut off from them downs itself. Automatic failover needs two controllers
    /// and a node, or three controllers; a lone controller's restart is not a failover, but its
    /// nodes (two or more) burn on through it and it joins them again.
    /// </summary>
    /// <param name="joinSeeds">
    /// False when the process joins by its own code rather than through Akka's seed process at
    /// start (the first seed controller: <c>ControllerJoin</c>).
    /// </param>
    public string ToHocon(bool joinSeeds = true)
    {
        // No seeds and port 0 (tests, the embedded demo): the caller joins the system to itself.
        var seedList = joinSeeds ? string.Join(", ", SeedAddresses.Select(s => $"\"{s}\"")) : "";
        var roles = string.Join(", ", Roles.Select(r => $"\"{r}\""));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote.dot-netty.tcp {
                hostname = "{{BindHost}}"
                public-hostname = "{{Host}}"
                port = {{Port}}
              }
              cluster {
                seed-nodes = [{{seedList}}]
                roles = [{{roles}}]
                min-nr-of-members = 1
                downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
                split-brain-resolver {
                  active-strategy = keep-majority
                  keep-majority.role = "{{SplitBrainRole}}"
                  stable-after = {{StableAfter.TotalMilliseconds}}ms
                  down-all-when-unstable = off
                }
                failure-detector {
                  heartbeat-interval = 500ms
                  acceptable-heartbeat-pause = {{AcceptableHeartbeatPause.TotalMilliseconds}}ms
                }
                singleton.hand-over-retry-interval = 500ms
                singleton-proxy.singleton-identification-interval = 500ms
                # Not finding the singleton is normal while it starts or moves; the API answers 503
                # with what is happening, so the proxy's own warning is only noise.
                singleton-proxy.log-singleton-identification-failure = off
                run-coordinated-shutdown-when-down = on
              }
              coordinated-shutdown.exit-clr = off
              # A node's durable delivery queue loads from SQLite on start; on a busy 2-core machine
              # that can take longer than the default 3 s, which only shows as a retry warning.
              reliable-delivery.producer-controller.durable-queue.request-timeout = 10s
            }
            """);
    }
}
