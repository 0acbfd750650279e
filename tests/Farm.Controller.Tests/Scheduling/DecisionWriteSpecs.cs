using Akka.Actor;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// What the controller decides on an event is in the same journal write as that event (one
/// AtomicWrite, all of it in the journal or none): a drive's idle report and the copy it is given
/// next cost one journal round trip, and no assignment is ever in the journal without the report
/// it was decided on. The journal is the in-memory one, recording each write (<see cref="WriteRecordingJournal"/>).
/// </summary>
public sealed class DecisionWriteSpecs : ControllerWriteSpec
{
    [Fact]
    public async Task A_drives_idle_report_and_the_copy_it_is_given_next_are_persisted_in_one_write()
    {
        var writes = RecordWrites();
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        await controller.Ask<JobAccepted>(new SubmitJob(new JobSubmitted("J1", "/images/release.iso", 1000, 2, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow)), TimeSpan.FromSeconds(10));
        var first = node.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
        node.Report("drive-T1-D1", new BurnAssigned("T1-D1", "J1", first.Copy, first.Attempt, 1000));
        var counted = await controller.Ask<VerifiedDiscAnswer>(new VerifiedDiscClaim("n1", "T1-D1", "J1", first.Copy, first.Attempt, "disc-1", "abc"), TimeSpan.FromSeconds(10));
        Assert.True(counted.Counted);

        var idle = node.Report("drive-T1-D1", new DriveIdle("T1-D1"));

        var next = node.Commands.FishForMessage<CopyAssigned>(a => a.Copy != first.Copy, TimeSpan.FromSeconds(10));
        var write = writes.FishForMessage<JournalWrote>(w => w.Events.OfType<NodeReported>().Any(r => r.SourceId == "drive-T1-D1" && r.SequenceNr == idle), TimeSpan.FromSeconds(10));
        var reportAt = write.Events.ToList().FindIndex(e => e is NodeReported { SourceId: "drive-T1-D1" } r && r.SequenceNr == idle);
        var assignedAt = write.Events.ToList().FindIndex(e => e is CopyAssigned a && (a.JobId, a.Copy, a.Attempt, a.DriveId) == (next.JobId, next.Copy, next.Attempt, next.DriveId));
        Assert.Equal(FarmControllerKey.PersistenceId, write.PersistenceId);
        Assert.True(assignedAt > reportAt, $"the assignment of copy {next.Copy} to T1-D1 is not in the write of the idle report after it: that write held {string.Join(", ", write.Events.Select(e => e.GetType().Name))}");
    }

    [Fact]
    public void A_tick_that_finds_a_silent_node_lost_takes_each_decision_due_then_once()
    {
        // An earlier incarnation's journal: node n9 with a DVD+R tower, and a BD-R job no tower can burn.
        var submitted = new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
        var journal = CreateTestProbe();
        Sys.ActorOf(ControllerJournal.Props(
            [
                new NodeJoined("n9", "akka.tcp://farm@10.255.255.1:1", submitted, []),
                new NodeReported("n9", "tower-T9", 1, new TowerBinsReported("T9", 10, "DVD+R", 0, 0), submitted),
                new JobSubmitted("J1", "/images/release.iso", 1000, 1, VerifyMode.Full, "BD-R", 0, submitted),
            ],
            journal.Ref));
        journal.ExpectMsg<ControllerJournal.Read>(TimeSpan.FromSeconds(10));
        var clock = new ManualTimeProvider(submitted);
        var options = Options with { RegistrationGrace = TimeSpan.FromSeconds(30), NoCapableDriveGrace = TimeSpan.FromSeconds(30) };
        var controller = Sys.ActorOf(Props.Create(() => new FarmControllerActor(options, clock, NullLogger<FarmControllerActor>.Instance)), "controller");
        Assert.Equal(JobStatus.Running, StateOf(controller).Jobs["J1"].Status); // recovered, deciding from now on

        // Both graces end at once: the next tick finds n9 silent and J1 without a capable drive.
        clock.Advance(TimeSpan.FromSeconds(30));
        AwaitAssert(
            () =>
            {
                var state = StateOf(controller);
                Assert.Equal((true, JobStatus.Failed), (state.Nodes["n9"].Lost, state.Jobs["J1"].Status));
            },
            TimeSpan.FromSeconds(10));

        Sys.ActorOf(ControllerJournal.Props([], journal.Ref));
        var events = journal.ExpectMsg<ControllerJournal.Read>(TimeSpan.FromSeconds(10)).Events;
        Assert.Single(events, e => e is NodeLost);
        Assert.Single(events, e => e is JobFailed);
    }
}
