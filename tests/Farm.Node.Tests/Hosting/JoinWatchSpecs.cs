using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Farm.Messages.Serialization;
using Farm.Node.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Node.Tests.Hosting;

/// <summary>
/// A node that cannot be a member of the farm's cluster (never joined within its patience, or
/// quarantined by another member) shuts its ActorSystem down with a reason whose exit code (1) has
/// its supervisor start it again with a fresh incarnation.
/// </summary>
public sealed class JoinWatchSpecs
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_that_does_not_join_within_its_patience_shuts_down_to_exit_1()
    {
        // No seeds and no join: as a node whose every join attempt is refused.
        var system = NodeSystem();
        system.ActorOf(JoinWatch.Props(TimeSpan.FromSeconds(1), NullLogger.Instance), "join-watch");

        await system.WhenTerminated.WaitAsync(Patience);

        var reason = Assert.IsType<NotJoinedReason>(CoordinatedShutdown.Get(system).ShutdownReason);
        Assert.Equal(1, reason.ExitCode);
        Assert.Contains("did not become a member of the farm's cluster within 1 s", reason.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_told_it_is_quarantined_shuts_down_to_exit_1()
    {
        var system = NodeSystem();
        var cluster = global::Akka.Cluster.Cluster.Get(system);
        await cluster.JoinAsync(cluster.SelfAddress).WaitAsync(Patience);
        system.ActorOf(JoinWatch.Props(TimeSpan.FromMinutes(10), NullLogger.Instance), "join-watch");
        var other = new Address("akka.tcp", FarmClusterOptions.SystemName, "127.0.0.1", 4053);

        // What Akka.Remote publishes when another system quarantined this one.
        await AwaitSubscribedAsync(system);
        system.EventStream.Publish(new ThisActorSystemQuarantinedEvent(cluster.SelfAddress, other));
        await system.WhenTerminated.WaitAsync(Patience);

        var reason = Assert.IsType<NotJoinedReason>(CoordinatedShutdown.Get(system).ShutdownReason);
        Assert.Equal(1, reason.ExitCode);
        Assert.Contains("quarantined this incarnation", reason.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_join_patience_that_is_not_positive_is_refused_with_the_reason()
    {
        var refused = Assert.Throws<ArgumentException>(() => JoinWatch.Props(TimeSpan.Zero, NullLogger.Instance));

        Assert.Contains("join patience must be positive", refused.Message, StringComparison.Ordinal);
    }

    private static ActorSystem NodeSystem() => ActorSystem.Create(
        FarmClusterOptions.SystemName,
        ConfigurationFactory.ParseString(new FarmClusterOptions { Host = "127.0.0.1", Port = 0, Roles = [FarmClusterOptions.NodeRole] }.ToHocon())
            .WithFallback(ConfigurationFactory.ParseString(FarmSerializer.Hocon)));

    // The watch subscribes in PreStart; a probe subscribed after it was created sees the event stream it sees.
    private static async Task AwaitSubscribedAsync(ActorSystem system)
    {
        var watch = await system.ActorSelection("/user/join-watch").ResolveOne(Patience);
        await watch.Ask<ActorIdentity>(new Identify(null), Patience);
    }
}
