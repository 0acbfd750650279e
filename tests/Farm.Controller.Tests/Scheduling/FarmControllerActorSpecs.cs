using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Delivery;
using Akka.TestKit;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Serialization;
using Farm.Messages.Towers;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The farm controller actor in a one-member cluster on the in-memory journal, with probes in the
/// place of nodes: registration, reports by Akka.Delivery, assignments sent until acknowledged,
/// recovery, a duplicate node id, a node that leaves the cluster.
/// </summary>
public sealed class FarmControllerActorSpecs : OneMemberClusterSpec
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 2, 4, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new() { DecideInterval = TimeSpan.FromMilliseconds(100), ResendAfter = TimeSpan.FromMilliseconds(500), RegistrationGrace = TimeSpan.FromSeconds(30) };

    internal static Config Config() =>
        ConfigurationFactory.ParseString(new FarmClusterOptions { Host = "127.0.0.1", Port = 0, Roles = [FarmClusterOptions.ControllerRole, FarmClusterOptions.NodeRole] }.ToHocon())
            .WithFallback(ConfigurationFactory.ParseString(FarmSerializer.Hocon))
            .WithFallback(ConfigurationFactory.ParseString("""
                akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
                akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
                """));

    [Fact]
    public async Task A_registered_nodes_idle_drive_is_given_a_copy_of_a_submitted_job()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");

        var accepted = await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 1)), TimeSpan.FromSeconds(10));

        Assert.Equal(("J1", false), (accepted.JobId, accepted.AlreadyKnown));
        var assigned = node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
        Assert.Equal(("J1", 1, 1, "T1-D1", "n1"), (assigned.JobId, assigned.Copy, assigned.Attempt, assigned.DriveId, assigned.NodeId));
    }

    [Fact]
    public async Task A_labelled_job_no_tower_of_its_media_can_print_is_refused_with_the_reason_and_not_recorded()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1"); // a tower without a printer

        var refused = await controller.Ask<CommandRefused>(new SubmitJob(Job("J1", 1) with { Label = new LabelSpec("{job} copy {copy}") }), TimeSpan.FromSeconds(10));

        Assert.Contains("no tower holding DVD+R media can print it (T1", refused.Reason, StringComparison.Ordinal);
        Assert.Empty((await StateOf(controller)).Jobs);
    }

    [Fact]
    public async Task A_job_submitted_twice_with_one_id_is_one_job()
    {
        var controller = StartController();

        await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 2)), TimeSpan.FromSeconds(10));
        var again = await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 2)), TimeSpan.FromSeconds(10));

        Assert.True(again.AlreadyKnown);
        Assert.Single((await StateOf(controller)).Jobs);
    }

    [Fact]
    public async Task An_assignment_is_sent_again_until_the_drive_accepts_it()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 1)), TimeSpan.FromSeconds(10));

        var first = node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
        var again = node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
        Assert.Equal(first, again);

        node.Report("drive-T1-D1", new BurnAssigned("T1-D1", "J1", 1, 1, 1000));
        await AwaitAssertAsync(async () => Assert.Equal("Accepted", (await StateOf(controller)).Drives["T1-D1"].Phase), TimeSpan.FromSeconds(10));
        node.Commands.ReceiveWhile(Options.ResendAfter, m => m as CopyAssigned); // a resend already on its way
        node.Commands.ExpectNoMsg(Options.ResendAfter * 3);
    }

    [Fact]
    public async Task A_report_delivered_twice_is_applied_once()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 2)), TimeSpan.FromSeconds(10));
        node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));

        node.Report("drive-T1-D1", new BurnAssigned("T1-D1", "J1", 1, 1, 1000));
        var failed = new BurnFailed("T1-D1", "J1", 1, 1, "Writing", 10, new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "underrun"));
        var sequenceNr = node.Report("drive-T1-D1", failed);
        node.Report("drive-T1-D1", failed, sequenceNr); // the same report again, as after a failover

        await AwaitAssertAsync(async () => Assert.Equal(1, (await StateOf(controller)).Jobs["J1"].Rejected), TimeSpan.FromSeconds(10));
        var state = await StateOf(controller);
        Assert.Equal(1, state.Drives["T1-D1"].Failures);
        Assert.Equal(sequenceNr, state.AppliedReports["drive-T1-D1"]);
    }

    [Fact]
    public async Task A_restarted_controller_recovers_its_jobs_and_sends_the_unacknowledged_assignment_when_the_node_registers_again()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 1)), TimeSpan.FromSeconds(10));
        var assigned = node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
        Watch(controller);
        controller.Tell(PoisonPill.Instance);
        ExpectTerminated(controller);

        var restarted = StartController("controller-2");
        var recovered = await StateOf(restarted);
        node.Register(restarted).ExpectMsg<NodeRegistered>();

        Assert.Equal(JobStatus.Running, recovered.Jobs["J1"].Status);
        Assert.Equal(CopyStatus.Assigned, recovered.Jobs["J1"].CopyStates[1].Status);
        Assert.Equal(assigned, node.Commands.FishForMessage<CopyAssigned>(_ => true, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_node_id_held_by_another_live_member_is_refused_with_the_reason()
    {
        var controller = StartController();
        new FakeNode(this, "n1").Register(controller).ExpectMsg<NodeRegistered>();
        using var other = await JoinAnotherSystemAsync();
        var elsewhere = new FakeNode(this, "n1", other);

        var refused = elsewhere.Register(controller).ExpectMsg<NodeRefused>(TimeSpan.FromSeconds(10));

        Assert.Contains("node id 'n1' is already used by a live member", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_that_leaves_the_cluster_is_lost_and_its_copy_in_flight_goes_back_to_the_queue()
    {
        var controller = StartController();
        using var other = await JoinAnotherSystemAsync();
        var node = new FakeNode(this, "n2", other);
        node.Register(controller).ExpectMsg<NodeRegistered>(TimeSpan.FromSeconds(10));
        node.ReportsTowerWithIdleDrive(controller, "T2", "T2-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", 1)), TimeSpan.FromSeconds(10));
        node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));

        await Akka.Cluster.Cluster.Get(other).LeaveAsync();

        await AwaitAssertAsync(
            async () =>
            {
                var state = await StateOf(controller);
                Assert.True(state.Nodes["n2"].Lost);
                Assert.Equal(DriveStatus.Offline, state.Drives["T2-D1"].Status);
                Assert.Equal((CopyStatus.Pending, 1), (state.Jobs["J1"].CopyStates[1].Status, state.Jobs["J1"].Rejected));
            },
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_verified_disc_of_the_drives_attempt_is_counted_before_the_answer_and_counted_once_however_often_it_is_claimed()
    {
        var (controller, _, assigned) = await AssignedCopyAsync(copies: 1);
        var claim = new VerifiedDiscClaim("n1", "T1-D1", "J1", 1, assigned.Attempt, "disc-1", "abc");

        var answer = await controller.Ask<VerifiedDiscAnswer>(claim, TimeSpan.FromSeconds(10));
        var counted = await StateOf(controller);
        var again = await controller.Ask<VerifiedDiscAnswer>(claim, TimeSpan.FromSeconds(10));

        Assert.Equal((true, (string?)null), (answer.Counted, answer.Why));
        Assert.Equal(answer, again);
        Assert.Equal((CopyStatus.Verified, "abc"), (counted.Jobs["J1"].CopyStates[1].Status, counted.Jobs["J1"].CopyStates[1].Sha256));
        Assert.Equal(1, (await StateOf(controller)).Jobs["J1"].Verified);
    }

    [Fact]
    public async Task A_verified_disc_of_an_attempt_that_is_not_the_drives_is_refused_with_the_reason()
    {
        var (controller, _, _) = await AssignedCopyAsync(copies: 1);

        var answer = await controller.Ask<VerifiedDiscAnswer>(new VerifiedDiscClaim("n1", "T1-D1", "J1", 1, 7, "disc-7", "abc"), TimeSpan.FromSeconds(10));

        Assert.False(answer.Counted);
        Assert.Contains("attempt 7 of copy 1 of job J1 is no longer drive T1-D1's", answer.Why, StringComparison.Ordinal);
        Assert.Equal(CopyStatus.Assigned, (await StateOf(controller)).Jobs["J1"].CopyStates[1].Status);
    }

    [Fact]
    public async Task A_drive_restarted_before_it_accepted_its_assignment_is_sent_it_again_and_given_no_other_copy()
    {
        var (controller, node, first) = await AssignedCopyAsync(copies: 2);

        // The drive's process restarted before the assignment reached it: it comes online idle.
        node.Report("drive-T1-D1", new DriveCameOnline("T1-D1", "n1", "T1", "SIM", "DRIVE"));
        node.Report("drive-T1-D1", new DriveIdle("T1-D1"));
        await AwaitAssertAsync(async () => Assert.Equal(4L, (await StateOf(controller)).AppliedReports["drive-T1-D1"]), TimeSpan.FromSeconds(10));

        var sent = node.Commands.ReceiveWhile(Options.ResendAfter * 4, m => (CopyAssigned)m);
        var drive = (await StateOf(controller)).Drives["T1-D1"];
        Assert.NotEmpty(sent);
        Assert.All(sent, a => Assert.Equal(first, a));
        Assert.Equal((DriveStatus.Busy, 1), (drive.Status, drive.Copy));
    }

    [Fact]
    public async Task A_drive_paused_before_its_assignment_reached_it_is_sent_it_again_and_its_refusal_queues_the_copy_again()
    {
        var (controller, node, first) = await AssignedCopyAsync(copies: 1);

        node.Report("drive-T1-D1", new DrivePaused("T1-D1", DriveHolds.Operator, "operator pause"));
        await AwaitAssertAsync(async () => Assert.Equal(DriveStatus.Paused, (await StateOf(controller)).Drives["T1-D1"].Status), TimeSpan.FromSeconds(10));
        while (node.Commands.HasMessages)
        {
            node.Commands.ReceiveOne(TimeSpan.Zero); // sent before the pause was applied
        }

        Assert.Equal(first, node.Commands.ExpectMsg<CopyAssigned>(Options.ResendAfter * 4));
        node.Report("drive-T1-D1", new BurnFailed("T1-D1", "J1", first.Copy, first.Attempt, BurnFailed.RefusedPhase, -1, new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, "drive T1-D1 is Paused, not idle")));
        await AwaitAssertAsync(
            async () =>
            {
                var copy = (await StateOf(controller)).Jobs["J1"].CopyStates[first.Copy];
                Assert.Equal((CopyStatus.Pending, first.Attempt), (copy.Status, copy.Attempt));
            },
            TimeSpan.FromSeconds(10));
    }

    /// <summary>A controller, node n1 registered with one idle drive T1-D1, and job J1 submitted: its first copy assigned to the drive.</summary>
    private async Task<(IActorRef Controller, FakeNode Node, CopyAssigned Assigned)> AssignedCopyAsync(int copies)
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(Job("J1", copies)), TimeSpan.FromSeconds(10));
        return (controller, node, node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10)));
    }

    private IActorRef StartController(string name = "controller") =>
        Sys.ActorOf(Props.Create(() => new FarmControllerActor(Options, TimeProvider.System, NullLogger<FarmControllerActor>.Instance)), name);

    private static async Task<FarmState> StateOf(IActorRef controller) => await controller.Ask<FarmState>(GetFarmState.Instance, TimeSpan.FromSeconds(10));

    private static JobSubmitted Job(string jobId, int copies) => new(jobId, "/images/release.iso", 1000, copies, VerifyMode.Full, "DVD+R", 0, Submitted);

    /// <summary>A second ActorSystem (another address) joined to this cluster, as a node process would be.</summary>
    private async Task<ActorSystem> JoinAnotherSystemAsync()
    {
        var other = ActorSystem.Create(Sys.Name, Config());
        var cluster = Akka.Cluster.Cluster.Get(other);
        await cluster.JoinAsync(Akka.Cluster.Cluster.Get(Sys).SelfAddress);
        return other;
    }
}
