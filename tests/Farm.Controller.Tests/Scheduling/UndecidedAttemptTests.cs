using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// A drive is never made idle, and so never given a second copy, while an attempt of a copy is
/// still undecided on it (docs/RELIABILITY.md §4, soak 3): the pure projection and scheduler, fed
/// what a node reports around an assignment that has not reached its drive yet.
/// </summary>
public sealed class UndecidedAttemptTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new();

    [Fact]
    public void A_drive_paused_before_its_assignment_reached_it_keeps_the_assignment_while_paused()
    {
        var (state, assigned) = AssignedToD1();

        state = Apply(state, new DrivePaused("D1", DriveHolds.Operator, "operator pause"));

        var drive = state.Drives["D1"];
        Assert.Equal((DriveStatus.Paused, FarmProjection.AssignedPhase, "J", assigned.Copy, assigned.Attempt), (drive.Status, drive.Phase, drive.JobId, drive.Copy, drive.Attempt));
        Assert.DoesNotContain(Scheduler.Decide(state, Options, Now), d => d is CopyAssigned { DriveId: "D1" });
    }

    [Fact]
    public void A_drive_resumed_before_its_assignment_reached_it_is_busy_with_it_and_given_no_second_copy()
    {
        var (state, assigned) = AssignedToD1();

        state = Apply(state, new DrivePaused("D1", DriveHolds.Operator, "operator pause"), new DriveResumed("D1", DriveHolds.Operator, "op"), new DriveIdle("D1"));

        var drive = state.Drives["D1"];
        Assert.Equal((DriveStatus.Busy, FarmProjection.AssignedPhase, assigned.Copy), (drive.Status, drive.Phase, drive.Copy));
        Assert.DoesNotContain(Scheduler.Decide(state, Options, Now), d => d is CopyAssigned { DriveId: "D1" });
    }

    [Fact]
    public void A_paused_drive_that_refuses_its_assignment_sends_the_copy_back_to_the_queue_and_is_idle_once_resumed()
    {
        var (state, assigned) = AssignedToD1();
        state = Apply(state, new DrivePaused("D1", DriveHolds.Operator, "operator pause"));

        state = Apply(state, new BurnFailed("D1", "J", assigned.Copy, assigned.Attempt, BurnFailed.RefusedPhase, -1, new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, "drive D1 is Paused, not idle")));
        var decisions = Scheduler.Decide(state, Options, Now);
        state = Apply(state, [.. decisions, new DriveResumed("D1", DriveHolds.Operator, "op"), new DriveIdle("D1")]);

        Assert.Collection(decisions, d => Assert.IsType<CopyFailed>(d), d => Assert.Equal(assigned.Attempt + 1, Assert.IsType<CopyRequeued>(d).NextAttempt));
        Assert.Equal((DriveStatus.Idle, (string?)null), (state.Drives["D1"].Status, state.Drives["D1"].JobId));
    }

    [Fact]
    public void A_drive_back_from_maintenance_before_its_assignment_reached_it_is_busy_with_it_and_given_no_second_copy()
    {
        var (state, assigned) = AssignedToD1();

        state = Apply(state, new DriveEnteredMaintenance("D1", "operator"), new DriveLeftMaintenance("D1", "op"), new DriveIdle("D1"));

        Assert.Equal((DriveStatus.Busy, assigned.Copy), (state.Drives["D1"].Status, state.Drives["D1"].Copy));
        Assert.DoesNotContain(Scheduler.Decide(state, Options, Now), d => d is CopyAssigned { DriveId: "D1" });
    }

    [Fact]
    public void A_drive_the_controller_sent_to_maintenance_before_its_assignment_reached_it_keeps_the_assignment()
    {
        var (state, assigned) = AssignedToD1();

        state = Apply(state, new DriveMaintenanceOrdered("D1", "3 failed burns", Now), new DriveIdle("D1"));

        var drive = state.Drives["D1"];
        Assert.Equal((DriveStatus.Maintenance, FarmProjection.AssignedPhase, "J", assigned.Copy), (drive.Status, drive.Phase, drive.JobId, drive.Copy));
    }

    [Fact]
    public void A_drive_that_says_it_is_idle_without_the_outcome_of_an_attempt_it_accepted_fails_the_attempt_before_it_is_given_another()
    {
        var (state, assigned) = AssignedToD1();
        state = Apply(state, new BurnAssigned("D1", "J", assigned.Copy, assigned.Attempt, 1000));

        state = Apply(state, new DriveIdle("D1"));
        var first = Scheduler.Decide(state, Options, Now);
        state = Apply(state, first);
        var next = Scheduler.Decide(state, Options, Now);

        var failed = Assert.IsType<CopyFailed>(first[0]);
        Assert.Equal((assigned.Copy, assigned.Attempt, "D1"), (failed.Copy, failed.Attempt, failed.DriveId));
        Assert.Contains("reported itself idle with no outcome", failed.Reason.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(first, d => d is CopyAssigned);
        Assert.Contains(next, d => d is CopyAssigned { DriveId: "D1" });
    }

    [Fact]
    public void A_paused_idle_drive_is_paused_with_no_job()
    {
        var state = Apply(FarmState.Empty, [.. Farm(), new DrivePaused("D1", DriveHolds.Operator, "operator pause")]);

        Assert.Equal((DriveStatus.Paused, "Paused", (string?)null), (state.Drives["D1"].Status, state.Drives["D1"].Phase, state.Drives["D1"].JobId));
    }

    /// <summary>One node, one tower, idle drives D1 and D2, and job J of two copies: copy 1 given to D1 (and copy 2 to D2).</summary>
    private static (FarmState State, CopyAssigned Assigned) AssignedToD1()
    {
        var state = Apply(FarmState.Empty, [.. Farm(), new JobSubmitted("J", "/images/release.iso", 1000, 3, VerifyMode.Full, "DVD+R", 0, Now)]);
        var decisions = Scheduler.Decide(state, Options, Now);
        return (Apply(state, decisions), decisions.OfType<CopyAssigned>().Single(a => a.DriveId == "D1"));
    }

    private static IFarmEvent[] Farm() =>
    [
        new NodeJoined("node-1", "akka.tcp://farm@node-1:4053", Now, []),
        new TowerBinsReported("T1", 10, "DVD+R", 0, 0),
        new DriveCameOnline("D1", "node-1", "T1", "SIM", "DRIVE"),
        new DriveIdle("D1"),
        new DriveCameOnline("D2", "node-1", "T1", "SIM", "DRIVE"),
        new DriveIdle("D2"),
    ];

    private static FarmState Apply(FarmState state, params IEnumerable<IFarmEvent> events) =>
        events.Aggregate(state, (s, e) => FarmProjection.Apply(s, e));
}
