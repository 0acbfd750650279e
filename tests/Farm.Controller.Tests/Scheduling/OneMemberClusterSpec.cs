using Akka.Cluster;
using Akka.Configuration;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// A spec whose ActorSystem ("farm") is a cluster of one member, Up before the first test step: the
/// controller's singleton-side behaviour (registration, downing, the nodes' addresses) needs a cluster.
/// Configured as <see cref="FarmControllerActorSpecs.Config"/>, under <paramref name="config"/> when given.
/// </summary>
public abstract class OneMemberClusterSpec : Akka.TestKit.Xunit2.TestKit
{
    private protected OneMemberClusterSpec(Config? config = null)
        : base(config is null ? FarmControllerActorSpecs.Config() : config.WithFallback(FarmControllerActorSpecs.Config()), "farm")
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.State.Members.Any(m => m.Status == MemberStatus.Up), TimeSpan.FromSeconds(20));
    }
}
