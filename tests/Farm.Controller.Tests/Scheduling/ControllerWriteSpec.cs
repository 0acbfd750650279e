using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.TestKit;
using Farm.Controller.Scheduling;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// A controller in a one-member cluster on the in-memory journal that tells the event stream what
/// each AtomicWrite held (<see cref="WriteRecordingJournal"/>): for specs about what goes in one write.
/// </summary>
public abstract class ControllerWriteSpec : OneMemberClusterSpec
{
    private protected static readonly SchedulerOptions Options = new() { DecideInterval = TimeSpan.FromMilliseconds(100), ResendAfter = TimeSpan.FromSeconds(5), RegistrationGrace = TimeSpan.FromSeconds(30) };

    private protected ControllerWriteSpec()
        : base(ConfigurationFactory.ParseString(WriteRecordingJournal.Hocon))
    {
    }

    /// <summary>A probe told every write from now on (<see cref="JournalWrote"/>), in write order.</summary>
    private protected TestProbe RecordWrites()
    {
        var writes = CreateTestProbe();
        Sys.EventStream.Subscribe(writes.Ref, typeof(JournalWrote));
        return writes;
    }

    private protected IActorRef StartController() =>
        Sys.ActorOf(Props.Create(() => new FarmControllerActor(Options, TimeProvider.System, NullLogger<FarmControllerActor>.Instance)), "controller");

    private protected static FarmState StateOf(IActorRef controller) => controller.Ask<FarmState>(GetFarmState.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
}
