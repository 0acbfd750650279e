using Akka.Actor;
using Akka.Cluster;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The controller's journal does not grow with idle time: its periodic work (deciding, resending,
/// looking for silent nodes) on a farm with nothing to do persists nothing. The controller's
/// clock is a manual one, advanced by half an hour between its ticks, so each tick sees the time
/// move on (issue 15: "journal size after 24 simulated hours idle must not grow").
/// </summary>
public sealed class IdleJournalSpecs : OneMemberClusterSpec
{
    private static readonly SchedulerOptions Options = new() { DecideInterval = TimeSpan.FromMilliseconds(50), ResendAfter = TimeSpan.FromSeconds(5), RegistrationGrace = TimeSpan.FromSeconds(30) };
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);


    [Fact]
    public async Task A_farm_left_idle_for_24_simulated_hours_after_a_job_persists_nothing()
    {
        var controller = Sys.ActorOf(Props.Create(() => new FarmControllerActor(Options, _time, NullLogger<FarmControllerActor>.Instance)), "controller");
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(new JobSubmitted("J1", "/images/release.iso", 1000, 1, VerifyMode.Full, "DVD+R", 0, _time.GetUtcNow())), TimeSpan.FromSeconds(10));
        node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
        node.Report("drive-T1-D1", new BurnAssigned("T1-D1", "J1", 1, 1, 1000));
        node.Report("drive-T1-D1", new DiscUnloaded("T1-D1", "J1", 1, 1, "disc-1", Bins.Output, "abc"));
        node.Report("drive-T1-D1", new DriveIdle("T1-D1"));
        await AwaitAssertAsync(async () => Assert.Equal(JobStatus.Completed, (await StateOf(controller)).Jobs["J1"].Status), TimeSpan.FromSeconds(10));
        node.Commands.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m); // resends of the assignment already on their way
        var afterJob = (await StateOf(controller)).LastOrdering;

        for (var halfHour = 0; halfHour < 48; halfHour++)
        {
            _time.Advance(TimeSpan.FromMinutes(30));
            node.Commands.ExpectNoMsg(Options.DecideInterval * 3); // three ticks at the new time; an idle farm tells its nodes nothing either
        }

        var idle = await StateOf(controller);
        Assert.Equal(afterJob, idle.LastOrdering);
        Assert.Equal(Start + TimeSpan.FromHours(24), _time.GetUtcNow());
        Assert.Equal((JobStatus.Completed, DriveStatus.Idle, false), (idle.Jobs["J1"].Status, idle.Drives["T1-D1"].Status, idle.Nodes["n1"].Lost));
    }

    private static async Task<FarmState> StateOf(IActorRef controller) => await controller.Ask<FarmState>(GetFarmState.Instance, TimeSpan.FromSeconds(10));
}
