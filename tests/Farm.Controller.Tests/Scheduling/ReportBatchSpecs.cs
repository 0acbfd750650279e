using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// A node's reports come as batches (<see cref="NodeReportBatch"/>, one Akka.Delivery message): the
/// controller persists a batch in one journal write, each (source, sequence number) once and in the
/// batch's order, and confirms the batch only once all of it is persisted. The journal is the
/// in-memory one, recording each write (<see cref="WriteRecordingJournal"/>).
/// </summary>
public sealed class ReportBatchSpecs : ControllerWriteSpec
{
    [Fact]
    public void A_batch_of_reports_from_several_sources_is_persisted_in_one_write_in_the_batchs_order()
    {
        var writes = RecordWrites();
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();

        var sent = node.Batch(
        [
            ("tower-T1", new TowerBinsReported("T1", 10, "DVD+R", 0, 0), null),
            ("drive-T1-D1", new DriveCameOnline("T1-D1", "n1", "T1", "SIM", "DRIVE"), null),
            ("drive-T1-D2", new DriveCameOnline("T1-D2", "n1", "T1", "SIM", "DRIVE"), null),
            ("drive-T1-D1", new DriveIdle("T1-D1"), null),
            ("drive-T1-D2", new DriveIdle("T1-D2"), null),
        ]);

        var write = writes.FishForMessage<JournalWrote>(w => w.Events.OfType<NodeReported>().Any(), TimeSpan.FromSeconds(10));
        Assert.Equal(sent.Select(r => (r.SourceId, r.SequenceNr)), write.Events.OfType<NodeReported>().Select(r => (r.SourceId, r.SequenceNr)));
    }

    [Fact]
    public void Reports_applied_before_or_repeated_in_the_batch_are_written_once_and_the_rest_in_order_per_source()
    {
        var writes = RecordWrites();
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1"); // drive-T1-D1 #1 and #2 applied

        node.Batch(
        [
            ("drive-T1-D1", new DriveIdle("T1-D1"), 2), // applied before: a re-send after a node restart
            ("drive-T1-D2", new DriveCameOnline("T1-D2", "n1", "T1", "SIM", "DRIVE"), 1),
            ("drive-T1-D1", new DriveIdle("T1-D1"), 3),
            ("drive-T1-D2", new DriveCameOnline("T1-D2", "n1", "T1", "SIM", "DRIVE"), 1), // twice in this batch
            ("drive-T1-D2", new DriveIdle("T1-D2"), 2),
        ]);

        var write = writes.FishForMessage<JournalWrote>(w => w.Events.OfType<NodeReported>().Any(r => r.SourceId == "drive-T1-D2"), TimeSpan.FromSeconds(10));
        Assert.Equal(
            [("drive-T1-D2", 1L), ("drive-T1-D1", 3L), ("drive-T1-D2", 2L)],
            write.Events.OfType<NodeReported>().Select(r => (r.SourceId, r.SequenceNr)));
        var state = StateOf(controller);
        Assert.Equal((3L, 2L), (state.AppliedReports["drive-T1-D1"], state.AppliedReports["drive-T1-D2"]));
        Assert.Equal(DriveStatus.Idle, state.Drives["T1-D2"].Status);
    }

    [Fact]
    public void Progress_behind_a_report_of_its_source_in_the_batch_is_applied_after_it_and_never_persisted()
    {
        var writes = RecordWrites();
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        var confirmed = CreateTestProbe();

        node.Batch(
        [
            ("drive-T1-D1", new DriveCameOnline("T1-D1", "n1", "T1", "SIM", "DRIVE"), null),
            ("drive-T1-D1", new SectorsWritten("T1-D1", "J1", 1, 4999, 10000, 1e6), null),
        ],
            confirmed.Ref);

        confirmed.ExpectMsg<long>(TimeSpan.FromSeconds(10));
        var write = writes.FishForMessage<JournalWrote>(w => w.Events.OfType<NodeReported>().Any(), TimeSpan.FromSeconds(10));
        Assert.Equal([typeof(DriveCameOnline)], write.Events.OfType<NodeReported>().Select(r => r.Event.GetType()));
        var state = StateOf(controller);
        Assert.Equal((2L, 4999L), (state.AppliedReports["drive-T1-D1"], state.Drives["T1-D1"].LastWrittenLba));
    }

    [Fact]
    public void A_batch_is_confirmed_to_its_node_once_every_report_in_it_is_persisted_and_applied()
    {
        var writes = RecordWrites();
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        var confirmed = CreateTestProbe();

        var sent = node.Batch(
        [
            ("tower-T1", new TowerBinsReported("T1", 10, "DVD+R", 0, 0), null),
            ("drive-T1-D1", new DriveCameOnline("T1-D1", "n1", "T1", "SIM", "DRIVE"), null),
            ("drive-T1-D1", new DriveIdle("T1-D1"), null),
        ],
            confirmed.Ref);

        confirmed.ExpectMsg<long>(TimeSpan.FromSeconds(10));

        // The journal published the write before writing it, so it is already waiting here: only what is queued counts.
        var queued = new List<JournalWrote>();
        while (writes.HasMessages)
        {
            queued.Add(writes.ExpectMsg<JournalWrote>());
        }

        var write = Assert.Single(queued, w => w.Events.OfType<NodeReported>().Any());
        Assert.Equal(sent.Select(r => (r.SourceId, r.SequenceNr)), write.Events.OfType<NodeReported>().Select(r => (r.SourceId, r.SequenceNr)));
        var state = StateOf(controller);
        Assert.Equal((1L, 2L), (state.AppliedReports["tower-T1"], state.AppliedReports["drive-T1-D1"]));
        Assert.Equal(DriveStatus.Idle, state.Drives["T1-D1"].Status);
    }

    [Fact]
    public void A_batch_of_reports_applied_before_is_confirmed_without_a_write()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        node.ReportsTowerWithIdleDrive(controller, "T1", "T1-D1");
        var writes = RecordWrites();
        var confirmed = CreateTestProbe();

        node.Batch([("drive-T1-D1", new DriveCameOnline("T1-D1", "n1", "T1", "SIM", "DRIVE"), 1), ("drive-T1-D1", new DriveIdle("T1-D1"), 2)], confirmed.Ref);

        confirmed.ExpectMsg<long>(TimeSpan.FromSeconds(10));
        writes.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_batch_from_a_node_registered_again_after_it_was_lost_drops_its_old_reports_and_its_drive_takes_the_requeued_copy()
    {
        var writes = RecordWrites();
        var controller = StartController();
        var other = ActorSystem.Create(Sys.Name, FarmControllerActorSpecs.Config());
        try
        {
            await Akka.Cluster.Cluster.Get(other).JoinAsync(Akka.Cluster.Cluster.Get(Sys).SelfAddress);
            var first = new FakeNode(this, "n2", other);
            first.Register(controller).ExpectMsg<NodeRegistered>(TimeSpan.FromSeconds(10));
            var before = first.Batch(
            [
                ("tower-T2", new TowerBinsReported("T2", 10, "DVD+R", 0, 0), null),
                ("drive-T2-D1", new DriveCameOnline("T2-D1", "n2", "T2", "SIM", "DRIVE"), null),
                ("drive-T2-D1", new DriveIdle("T2-D1"), null),
            ]);
            await controller.Ask<JobAccepted>(new SubmitJob(new JobSubmitted("J1", "/images/release.iso", 1000, 1, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow)), TimeSpan.FromSeconds(10));
            first.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
            await Akka.Cluster.Cluster.Get(other).LeaveAsync();
            AwaitAssert(() => Assert.Equal(CopyStatus.Pending, StateOf(controller).Jobs["J1"].CopyStates[1].Status), TimeSpan.FromSeconds(30));
            Assert.True(StateOf(controller).Nodes["n2"].Lost);

            // The node starts again (a new incarnation, here in this system) and sends what it had not
            // seen confirmed with what it reports now, in one batch.
            var again = new FakeNode(this, "n2");
            again.Register(controller).ExpectMsg<NodeRegistered>(TimeSpan.FromSeconds(10));
            again.Batch(
            [
                .. before.Select(r => (r.SourceId, r.Event, (long?)r.SequenceNr)),
                ("drive-T2-D1", new DriveCameOnline("T2-D1", "n2", "T2", "SIM", "DRIVE"), 3),
                ("drive-T2-D1", new DriveIdle("T2-D1"), 4),
            ]);

            var reassigned = again.Commands.ExpectMsg<CopyAssigned>(TimeSpan.FromSeconds(10));
            Assert.Equal(("J1", 1, 2, "T2-D1"), (reassigned.JobId, reassigned.Copy, reassigned.Attempt, reassigned.DriveId));
            var write = writes.FishForMessage<JournalWrote>(w => w.Events.OfType<NodeReported>().Any(r => r.SequenceNr == 3), TimeSpan.FromSeconds(10));
            Assert.Equal([("drive-T2-D1", 3L), ("drive-T2-D1", 4L)], write.Events.OfType<NodeReported>().Select(r => (r.SourceId, r.SequenceNr)));
        }
        finally
        {
            await other.Terminate();
        }
    }
}
