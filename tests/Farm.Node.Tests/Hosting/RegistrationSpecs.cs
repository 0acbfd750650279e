using Akka.Actor;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Farm.Node.Hosting;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Farm.Node.Towers;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Hosting;

/// <summary>The node and the controller singleton: registration, a refusal, and a singleton that moves.</summary>
public sealed class RegistrationSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    /// <summary>The singleton's proxy: a stable address that forwards to whichever incarnation runs now.</summary>
    private sealed class Proxy : ReceiveActor
    {
        public Proxy(IActorRef first)
        {
            var target = first;
            Receive<IActorRef>(next => target = next);
            ReceiveAny(message => target.Forward(message));
        }
    }

    [Fact]
    public async Task A_node_whose_id_is_refused_stops_its_actor_system_with_the_reason()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { RefuseWith = "node-1 is already a live member at akka.tcp://farm@10.0.0.7:4060" }, Folder);

        await Sys.WhenTerminated.WaitAsync(Dilated(Patience));

        var reason = Assert.IsType<NodeRefusedReason>(CoordinatedShutdown.Get(Sys).ShutdownReason);
        Assert.Equal((NodeRig.NodeId, 2), (reason.NodeId, reason.ExitCode));
        Assert.Contains("already a live member", reason.Why, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_registers_again_with_the_singleton_that_replaces_the_one_it_registered_with()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForDriveAsync<DriveIdle>();

        // Give the node a proxy whose singleton moves: the old incarnation dies, a new one answers.
        var moved = new ReportLog();
        var first = Sys.ActorOf(ControllerStandIn.Props(new ReportLog()), "singleton-1");
        var proxy = Sys.ActorOf(Props.Create(() => new Proxy(first)), "proxy");
        var setupNode = await RestartWithProxyAsync(rig, proxy);
        await AwaitConditionAsync(async () => await setupNode.Ask<bool>(NodeActor.IsRegistered.Instance, Dilated(TimeSpan.FromSeconds(5))), Dilated(Patience));

        var second = Sys.ActorOf(ControllerStandIn.Props(moved), "singleton-2");
        proxy.Tell(second);
        await first.GracefulStop(Dilated(Patience));
        await AwaitConditionAsync(() => Task.FromResult(!moved.Registrations.IsEmpty), Dilated(Patience));
        setupNode.Tell(NodeRig.Assignment(rig.Image(256)));

        await AwaitConditionAsync(() => Task.FromResult(moved.Events(NodeRig.DriveSource()).OfType<DiscUnloaded>().Any()), Dilated(Patience));
        Assert.True(await setupNode.Ask<bool>(NodeActor.IsRegistered.Instance, Dilated(TimeSpan.FromSeconds(5))));
        var registration = Assert.Single(moved.Registrations);
        Assert.Equal((NodeRig.NodeId, NodeRig.DriveIdOf(1)), (registration.NodeId, Assert.Single(registration.Drives).DriveId));
        await setupNode.GracefulStop(Dilated(Patience));
    }

    /// <summary>Stops the rig's node and starts the same node (same journal) behind <paramref name="proxy"/>.</summary>
    private async Task<IActorRef> RestartWithProxyAsync(NodeRig rig, IActorRef proxy)
    {
        var stopped = await rig.StopAsync();
        Assert.Equal(RecorderState.Idle, stopped.Single().State);
        var tower = new TowerSetup(NodeRig.TowerId, history => rig.Tower, [.. rig.Drives.Select(d => new DriveSetup(d.Key, _ => Task.FromResult<Farm.Device.Transports.IScsiTransport>(new Farm.Device.Simulation.SimulatedDriveHandle(d.Value))))]);
        var setup = new NodeSetup(NodeRig.NodeId, Folder.FullPath, [tower], (node, towerId, drive) => new RecorderOptions { NodeId = node, TowerId = towerId, DriveId = drive })
        {
            RegisterInterval = TimeSpan.FromMilliseconds(200),
        };
        return Sys.ActorOf(NodeActor.Props(setup, proxy, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance), "node-behind-proxy");
    }
}
