using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Serialization;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// Three ActorSystems in one process form a cluster (two controllers, one node-role member asking
/// through the singleton's proxy) on one SQLite farm database. When the singleton's host dies, the
/// other controller takes the singleton and recovers the ledger from the journal.
/// </summary>
public sealed class SingletonHandOverSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TempDirectory Folder = new("farm-handover");
    private static readonly SchedulerOptions Options = new() { DecideInterval = TimeSpan.FromMilliseconds(200) };

    public SingletonHandOverSpecs()
        : base(Config([FarmClusterOptions.NodeRole]), "farm")
    {
    }

    private static Config Config(string[] roles) =>
        ConfigurationFactory.ParseString(new FarmClusterOptions { Host = "127.0.0.1", Port = 0, Roles = roles }.ToHocon())
            .WithFallback(ConfigurationFactory.ParseString(FarmSerializer.Hocon))
            .WithFallback(ConfigurationFactory.ParseString(FarmPersistence.FarmStoreHocon(new JournalAddress(true, Folder.PathOf("farm.db")))));

    [Fact]
    public async Task When_the_singletons_host_dies_the_other_controller_recovers_the_ledger_and_answers()
    {
        FarmPersistence.PrepareSqlite(Folder.PathOf("farm.db"));
        var first = StartController();
        await JoinAsync(first, Akka.Cluster.Cluster.Get(first).SelfAddress);
        var second = StartController();
        await JoinAsync(second, Akka.Cluster.Cluster.Get(first).SelfAddress);
        await JoinAsync(Sys, Akka.Cluster.Cluster.Get(first).SelfAddress);
        var proxy = Sys.ActorOf(ClusterSingletonProxy.Props($"/user/{FarmControllerKey.SingletonName}", ClusterSingletonProxySettings.Create(Sys).WithRole(FarmClusterOptions.ControllerRole)));
        var job = new JobSubmitted("J1", "/images/release.iso", 1000, 3, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow);
        Assert.False((await proxy.Ask<JobAccepted>(new SubmitJob(job), TimeSpan.FromSeconds(30))).AlreadyKnown);

        await first.Terminate(); // the oldest controller, the singleton's host, dies without a word

        await AwaitAssertAsync(
            async () =>
            {
                var state = await proxy.Ask<FarmState>(GetFarmState.Instance, TimeSpan.FromSeconds(3));
                Assert.Equal((JobStatus.Running, 3), (state.Jobs["J1"].Status, state.Jobs["J1"].Copies));
            },
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(500));
        Assert.True((await proxy.Ask<JobAccepted>(new SubmitJob(job), TimeSpan.FromSeconds(10))).AlreadyKnown);
        await second.Terminate();
    }

    private static ActorSystem StartController()
    {
        var system = ActorSystem.Create("farm", Config([FarmClusterOptions.ControllerRole]));
        system.ActorOf(
            ClusterSingletonManager.Props(
                FarmControllerActor.PropsFor(Options, TimeProvider.System, NullLoggerFactory.Instance),
                PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(system).WithRole(FarmClusterOptions.ControllerRole)),
            FarmControllerKey.SingletonName);
        return system;
    }

    private static async Task JoinAsync(ActorSystem system, Address seed)
    {
        await Akka.Cluster.Cluster.Get(system).JoinAsync(seed);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Folder.Dispose();
    }
}
