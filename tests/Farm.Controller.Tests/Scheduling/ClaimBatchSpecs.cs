using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// Verified-disc claims wait for the next write with the node reports: claims that arrive
/// together are counted in shared writes (one write and one scheduler pass each was where 10,000
/// drives stopped keeping up, docs/SCALING.md), each copy counted once, each claim answered only
/// once its CopyVerified is in the journal. The journal is the in-memory one, recording each write.
/// </summary>
public sealed class ClaimBatchSpecs : ControllerWriteSpec
{
    private const int Drives = 20;

    [Fact]
    public void Claims_that_arrive_together_share_writes_and_each_copy_is_counted_once()
    {
        var (controller, assigned) = TwentyDrivesBurningOneCopyEach();
        var writes = RecordWrites();
        var answers = CreateTestProbe();

        foreach (var copy in assigned)
        {
            controller.Tell(ClaimOf(copy), answers.Ref);
        }

        controller.Tell(ClaimOf(assigned[0]), answers.Ref); // asked again before its answer came

        var received = answers.ReceiveN(Drives + 1, TimeSpan.FromSeconds(20)).Cast<VerifiedDiscAnswer>().ToList();
        Assert.All(received, a => Assert.True(a.Counted, a.Why));
        var counting = new List<JournalWrote>();
        while (counting.Sum(w => w.Events.OfType<CopyVerified>().Count()) < Drives)
        {
            counting.Add(writes.FishForMessage<JournalWrote>(w => w.Events.OfType<CopyVerified>().Any(), TimeSpan.FromSeconds(10)));
        }

        Assert.True(counting.Count < Drives, $"{Drives} claims that arrived together took {counting.Count} writes: one each");
        var state = StateOf(controller);
        Assert.Equal(Drives, state.Jobs["J1"].CopyStates.Values.Count(c => c.Status == CopyStatus.Verified));
        writes.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the repeated claim wrote nothing more
    }

    private static VerifiedDiscClaim ClaimOf(CopyAssigned copy) =>
        new("n1", copy.DriveId, copy.JobId, copy.Copy, copy.Attempt, $"disc-{copy.Copy}", "abc");

    /// <summary>A node with 20 idle drives, a job of 20 copies, each drive given and accepting one.</summary>
    private (IActorRef Controller, IReadOnlyList<CopyAssigned> Assigned) TwentyDrivesBurningOneCopyEach()
    {
        var controller = StartController();
        var node = new FakeNode(this, "n1");
        node.Register(controller).ExpectMsg<NodeRegistered>();
        var drives = Enumerable.Range(1, Drives).Select(i => $"T1-D{i}").ToList();
        node.Batch(
        [
            ("tower-T1", new TowerBinsReported("T1", 100, "DVD+R", 0, 0), null),
            .. drives.Select(d => ($"drive-{d}", (IFarmEvent)new DriveCameOnline(d, "n1", "T1", "SIM", "DRIVE"), (long?)null)),
            .. drives.Select(d => ($"drive-{d}", (IFarmEvent)new DriveIdle(d), (long?)null)),
        ]);
        AwaitAssert(() => Assert.Equal(Drives, StateOf(controller).Drives.Values.Count(d => d.Status == DriveStatus.Idle)), TimeSpan.FromSeconds(10));
        controller.Ask<JobAccepted>(new SubmitJob(new JobSubmitted("J1", "/images/release.iso", 1000, Drives, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow)), TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
        var assigned = node.Commands.ReceiveN(Drives, TimeSpan.FromSeconds(10)).Cast<CopyAssigned>().ToList();
        node.Batch([.. assigned.Select(a => ($"drive-{a.DriveId}", (IFarmEvent)new BurnAssigned(a.DriveId, a.JobId, a.Copy, a.Attempt, 1000), (long?)null))]);
        AwaitAssert(() => Assert.All(StateOf(controller).Drives.Values, d => Assert.Equal("Accepted", d.Phase)), TimeSpan.FromSeconds(10));
        return (controller, assigned);
    }
}
