using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Farm.Controller.Hosting;
using Farm.Messages.Protocol;
using Farm.Messages.Serialization;
using Farm.Node.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Hosting;

/// <summary>
/// A controller started again in place joins the cluster its nodes burn on in: a node whose cluster
/// has no reachable controller invites the first seed (ControllerPresenceWatch), and that
/// controller, not yet a member, joins through the node (ControllerJoin) instead of forming a
/// cluster of its own. ActorSystems in one process, on loopback TCP.
/// </summary>
public sealed class ControllerRejoinSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly List<ActorSystem> _others = [];

    public ControllerRejoinSpecs()
        : base(Config([FarmClusterOptions.NodeRole]), FarmClusterOptions.SystemName)
    {
    }

    [Fact]
    public async Task A_node_whose_cluster_has_no_controller_invites_the_first_seed_every_second()
    {
        await JoinAsync(Sys, Cluster.Get(Sys).SelfAddress);
        var controllerJoin = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new Forwarder(controllerJoin.Ref)), FarmClusterOptions.ControllerJoinName);
        var firstSeed = Cluster.Get(Sys).SelfAddress.ToString(); // the seed's address: here, this system

        Sys.ActorOf(ControllerPresenceWatch.Props(TimeSpan.FromMinutes(10), firstSeed, NullLogger.Instance));

        var self = Cluster.Get(Sys).SelfAddress.ToString();
        Assert.Equal(self, controllerJoin.ExpectMsg<JoinThisCluster>(Patience).MemberAddress);
        Assert.Equal(self, controllerJoin.ExpectMsg<JoinThisCluster>(ControllerPresenceWatch.InviteInterval * 5).MemberAddress);
    }

    [Fact]
    public async Task A_node_with_a_controller_in_its_cluster_invites_nobody()
    {
        var cluster = Cluster.Get(Sys);
        var controller = Start([FarmClusterOptions.ControllerRole]);
        await JoinAsync(controller, Cluster.Get(controller).SelfAddress);
        await JoinAsync(Sys, Cluster.Get(controller).SelfAddress);
        var controllerJoin = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new Forwarder(controllerJoin.Ref)), FarmClusterOptions.ControllerJoinName);

        Sys.ActorOf(ControllerPresenceWatch.Props(TimeSpan.FromMinutes(10), cluster.SelfAddress.ToString(), NullLogger.Instance));

        controllerJoin.ExpectNoMsg(ControllerPresenceWatch.InviteInterval * 3);
    }

    [Fact]
    public async Task An_invited_controller_joins_the_nodes_cluster_instead_of_forming_its_own()
    {
        await JoinAsync(Sys, Cluster.Get(Sys).SelfAddress); // the nodes' cluster, which lost its controller
        var controller = Start([FarmClusterOptions.ControllerRole]);
        var controllerCluster = Cluster.Get(controller);
        controller.ActorOf(ControllerJoin.Props([controllerCluster.SelfAddress], TimeSpan.FromMinutes(10), NullLogger.Instance), FarmClusterOptions.ControllerJoinName);

        Sys.ActorSelection($"{controllerCluster.SelfAddress}/user/{FarmClusterOptions.ControllerJoinName}").Tell(new JoinThisCluster(Cluster.Get(Sys).SelfAddress.ToString()));

        await AwaitAssertAsync(
            () =>
            {
                Assert.Equal(MemberStatus.Up, controllerCluster.SelfMember.Status);
                Assert.Contains(Cluster.Get(Sys).State.Members, m => m.Address.Equals(controllerCluster.SelfAddress) && m.HasRole(FarmClusterOptions.ControllerRole));
            },
            Patience,
            TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_lone_controller_that_no_node_invites_forms_the_cluster_once_its_wait_is_over()
    {
        var controller = Start([FarmClusterOptions.ControllerRole]);
        var cluster = Cluster.Get(controller);

        controller.ActorOf(ControllerJoin.Props([cluster.SelfAddress], TimeSpan.FromMilliseconds(300), NullLogger.Instance), FarmClusterOptions.ControllerJoinName);

        await AwaitAssertAsync(() => Assert.Equal(MemberStatus.Up, cluster.SelfMember.Status), Patience, TimeSpan.FromMilliseconds(200));
        Assert.Single(cluster.State.Members);
    }

    private static Config Config(string[] roles) =>
        ConfigurationFactory.ParseString(new FarmClusterOptions { Host = "127.0.0.1", Port = 0, Roles = roles }.ToHocon())
            .WithFallback(ConfigurationFactory.ParseString(FarmSerializer.Hocon));

    private ActorSystem Start(string[] roles)
    {
        var system = ActorSystem.Create(FarmClusterOptions.SystemName, Config(roles));
        _others.Add(system);
        return system;
    }

    protected override void AfterAll()
    {
        foreach (var system in _others)
        {
            Shutdown(system);
        }

        base.AfterAll();
    }

    private static Task JoinAsync(ActorSystem system, Address to) => Cluster.Get(system).JoinAsync(to).WaitAsync(Patience);

    /// <summary>Stands where the first seed's ControllerJoin would be, and hands what it gets to a probe.</summary>
    private sealed class Forwarder : ReceiveActor
    {
        public Forwarder(IActorRef to) => ReceiveAny(message => to.Forward(message));
    }
}
