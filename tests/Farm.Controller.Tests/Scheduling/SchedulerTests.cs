using Farm.Messages.Views;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Towers;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>The scheduler as a pure function: events in, decisions out.</summary>
public sealed class SchedulerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new();

    private static FarmState Farm(params IFarmEvent[] events) => events.Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, e));

    private static IFarmEvent[] TowerWithDrives(int blanks, params string[] drives) =>
    [
        new Messages.Nodes.NodeJoined("node-1", "akka.tcp://farm@node-1:4053", Now, []),
        new TowerBinsReported("T1", blanks, "DVD+R", 0, 0),
        .. drives.SelectMany(d => new IFarmEvent[] { new DriveCameOnline(d, "node-1", "T1", "SIM", "DRIVE"), new DriveIdle(d) }),
    ];

    private static JobSubmitted Job(string id, int copies, int priority = 0, int minutesAgo = 0) =>
        new(id, "/images/release.iso", 1000, copies, VerifyMode.Full, "DVD+R", priority, Now.AddMinutes(-minutesAgo));

    [Fact]
    public void Assigns_one_copy_to_each_idle_drive()
    {
        var state = Farm([.. TowerWithDrives(10, "D1", "D2"), Job("J", 3)]);

        var decisions = Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>().ToList();

        Assert.Equal(2, decisions.Count);
        Assert.Equal(["D1", "D2"], decisions.Select(d => d.DriveId));
        Assert.Equal([1, 2], decisions.Select(d => d.Copy));
        Assert.All(decisions, d => Assert.Equal(1, d.Attempt));
    }

    [Fact]
    public void Gives_a_copy_to_the_idle_drive_with_the_fewest_failures_before_the_lowest_id()
    {
        var state = Farm([.. TowerWithDrives(10, "D1", "D2", "D3"), Job("J", 2)]);
        state = state with { Drives = state.Drives.SetItem("D1", state.Drives["D1"] with { Failures = 2 }).SetItem("D2", state.Drives["D2"] with { Failures = 1 }) };

        var decisions = Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>().ToList();

        Assert.Equal([("D3", 1), ("D2", 2)], decisions.Select(d => (d.DriveId, d.Copy)));
    }

    [Fact]
    public void Assigns_no_more_copies_than_the_tower_has_blanks()
    {
        var state = Farm([.. TowerWithDrives(1, "D1", "D2"), Job("J", 3)]);

        Assert.Single(Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>());
    }

    [Fact]
    public void Assigns_nothing_to_a_tower_holding_other_media()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 1) with { MediaType = "BD-R" }]);

        Assert.Empty(Scheduler.Decide(state, Options, Now));
    }

    [Fact]
    public void Serves_higher_priority_jobs_first_then_older_ones()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("old-low", 1, priority: 0, minutesAgo: 10), Job("new-high", 1, priority: 5), Job("older-high", 1, priority: 5, minutesAgo: 1)]);

        var assigned = Assert.Single(Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>());

        Assert.Equal("older-high", assigned.JobId);
    }

    [Fact]
    public void Does_not_assign_to_a_drive_that_is_busy()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 2)]);
        state = Scheduler.Decide(state, Options, Now).Aggregate(state, (s, e) => FarmProjection.Apply(s, e));

        Assert.Empty(Scheduler.Decide(state, Options, Now));
    }

    [Fact]
    public void A_disc_in_the_output_bin_counts_as_a_verified_copy()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));
        state = Apply(state, [new DiscUnloaded("D1", "J", 1, 1, "T1-00001", Bins.Output, "abc")]);

        var verified = Assert.IsType<CopyVerified>(Assert.Single(Scheduler.Decide(state, Options, Now)));

        Assert.Equal(("J", 1, 1, "abc"), (verified.JobId, verified.Copy, verified.Attempt, verified.Sha256));
    }

    [Fact]
    public void A_job_completes_when_all_its_copies_are_verified()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));
        state = Apply(state, [new DiscUnloaded("D1", "J", 1, 1, "T1-00001", Bins.Output, "abc"), new DriveIdle("D1")]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));

        var completed = Assert.IsType<JobCompleted>(Assert.Single(Scheduler.Decide(state, Options, Now)));

        Assert.Equal((1, 0), (completed.Verified, completed.Rejected));
    }

    [Fact]
    public void A_job_whose_last_copy_is_counted_completes_only_once_its_drive_has_binned_the_disc()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));
        state = Apply(state, [new CopyVerified("J", 1, 1, "D1", "abc", "T1-00001")]); // the claim accepted, the disc still in the drive

        Assert.DoesNotContain(Scheduler.Decide(state, Options, Now), d => d is JobCompleted);

        state = Apply(state, [new DiscUnloaded("D1", "J", 1, 1, "T1-00001", Bins.Output, "abc"), new DriveIdle("D1")]);
        Assert.IsType<JobCompleted>(Assert.Single(Scheduler.Decide(state, Options, Now)));
    }

    [Fact]
    public void A_failed_attempt_is_rejected_and_requeued_avoiding_the_drive_that_failed()
    {
        var state = Farm([.. TowerWithDrives(10, "D1", "D2"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));
        var reason = new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "underrun");
        state = Apply(state, [new BurnFailed("D1", "J", 1, 1, "Writing", 500, reason)]);

        var decisions = Scheduler.Decide(state, Options, Now);

        Assert.Collection(
            decisions,
            failed => Assert.Equal(reason, Assert.IsType<CopyFailed>(failed).Reason),
            requeued => Assert.Equal(("D1", 2), (Assert.IsType<CopyRequeued>(requeued).AvoidDriveId, ((CopyRequeued)requeued).NextAttempt)));

        state = Apply(state, [.. decisions, new DriveIdle("D1")]);
        var again = Assert.Single(Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>());
        Assert.Equal(("D2", 2), (again.DriveId, again.Attempt));
    }

    [Fact]
    public void A_report_about_an_older_attempt_is_ignored()
    {
        var state = Farm([.. TowerWithDrives(10, "D1", "D2"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));
        state = Apply(state, [new DiscUnloaded("D1", "J", 1, 7, "T1-00009", Bins.Output, "stale")]);

        Assert.DoesNotContain(Scheduler.Decide(state, Options, Now), d => d is CopyVerified);
    }

    [Fact]
    public void A_job_fails_when_a_copy_used_up_its_attempts()
    {
        var options = new SchedulerOptions { MaxAttemptsPerCopy = 1 };
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, options, Now));
        state = Apply(state, [new BurnFailed("D1", "J", 1, 1, "Writing", 10, new FailureReason("E_FAIL", 0x80004005, Disposition.FailDisc, "x"))]);

        var decisions = Scheduler.Decide(state, options, Now);

        Assert.Contains(decisions, d => d is JobFailed);
        Assert.DoesNotContain(decisions, d => d is CopyRequeued);
    }

    [Fact]
    public void An_interrupted_disc_sends_its_copy_back_to_the_queue()
    {
        var state = Farm([.. TowerWithDrives(10, "D1"), Job("J", 1)]);
        state = Apply(state, Scheduler.Decide(state, Options, Now));
        state = Apply(state, [new DiscInterrupted("D1", "J", 1, 1, "T1-00001", "Writing", 4000, 10000)]);

        var decisions = Scheduler.Decide(state, Options, Now);

        Assert.Contains(decisions, d => d is CopyFailed f && f.Reason.Message.Contains("LBA 4000 of 10000", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d is CopyRequeued { NextAttempt: 2 });
    }

    private static FarmState Apply(FarmState state, IEnumerable<IFarmEvent> events) =>
        events.Aggregate(state, (s, e) => FarmProjection.Apply(s, e));
}
