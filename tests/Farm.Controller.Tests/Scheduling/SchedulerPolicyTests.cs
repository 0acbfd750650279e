using Farm.Messages.Views;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Testing;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>Lost nodes, the job lifecycle, failure policy and job options, on the pure scheduler.</summary>
public sealed class SchedulerPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new();
    private static readonly FailureReason Underrun = new("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "underrun");

    private static IFarmEvent[] Node(string nodeId, string towerId, int blanks, params string[] drives) =>
    [
        Joined(nodeId),
        new TowerBinsReported(towerId, blanks, "DVD+R", 0, 0),
        .. drives.SelectMany(d => new IFarmEvent[] { new DriveCameOnline(d, nodeId, towerId, "SIM", "DRIVE"), new DriveIdle(d) }),
    ];

    private static JobSubmitted Job(string id, int copies, int priority = 0, int minutesAgo = 0) =>
        new(id, "/images/release.iso", 1000, copies, VerifyMode.Full, "DVD+R", priority, Now.AddMinutes(-minutesAgo));

    private static FarmState Farm(DateTimeOffset observed, params IFarmEvent[] events) =>
        events.Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, e, 0, observed));

    private static FarmState Apply(FarmState state, DateTimeOffset observed, params IEnumerable<IFarmEvent> events) =>
        events.Aggregate(state, (s, e) => FarmProjection.Apply(s, e, 0, observed));

    private static NodeJoined Joined(string nodeId, params (string Drive, string State)[] drives) =>
        new(nodeId, $"akka.tcp://farm@{nodeId}:4053", Now, [.. drives.Select(d => new DriveBeat(d.Drive, d.State))]);

    private static NodeLost Lost(string nodeId, int seconds) => new(nodeId, Now, Now.AddSeconds(seconds));

    [Fact]
    public void A_node_the_cluster_removed_has_its_copies_in_flight_failed_and_requeued()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), .. Node("n2", "T2", 10, "D2"), Job("J", 2)]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        state = Apply(state, Now.AddSeconds(8), Lost("n1", 8));

        var decisions = Scheduler.Decide(state, Options, Now.AddSeconds(8));

        Assert.Collection(
            decisions,
            failed => Assert.Contains("node n1 left the cluster", Assert.IsType<CopyFailed>(failed).Reason.Message, StringComparison.Ordinal),
            requeued => Assert.Equal((1, 2, "D1"), (Assert.IsType<CopyRequeued>(requeued).Copy, ((CopyRequeued)requeued).NextAttempt, ((CopyRequeued)requeued).AvoidDriveId)));
        state = Apply(state, Now.AddSeconds(8), decisions);
        Assert.Equal(DriveStatus.Offline, state.Drives["D1"].Status);
        Assert.Empty(Scheduler.Decide(state, Options, Now.AddSeconds(8)).OfType<CopyAssigned>());
    }

    [Fact]
    public void A_drive_of_a_node_that_never_registered_gets_no_work()
    {
        var state = Farm(Now, [new TowerBinsReported("T1", 10, "DVD+R", 0, 0), new DriveCameOnline("D1", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("D1"), Job("J", 1)]);

        Assert.Empty(Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>());
    }

    [Fact]
    public void A_node_that_comes_back_reports_its_disc_interrupted_and_the_superseded_attempt_is_not_counted_twice()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), .. Node("n2", "T2", 10, "D2"), Job("J", 1)]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now)); // copy 1 attempt 1 on D1 (n1)
        state = Apply(state, Now.AddSeconds(11), Lost("n1", 11));
        state = Apply(state, Now.AddSeconds(11), Scheduler.Decide(state, Options, Now.AddSeconds(11))); // n1 lost: failed + requeued
        var reassigned = Assert.Single(Scheduler.Decide(state, Options, Now.AddSeconds(11)).OfType<CopyAssigned>());
        Assert.Equal(("D2", 2), (reassigned.DriveId, reassigned.Attempt));
        state = Apply(state, Now.AddSeconds(11), reassigned);

        // n1 restarts: its recorder reports attempt 1 interrupted and rejects that disc.
        state = Apply(state, Now.AddSeconds(12), [
            new DriveCameOnline("D1", "n1", "T1", "SIM", "DRIVE"),
            new DiscInterrupted("D1", "J", 1, 1, "T1-1", "Writing", 40, 1000),
            new DiscUnloaded("D1", "J", 1, 1, "T1-1", Bins.Reject, null),
            new DriveIdle("D1"),
            Joined("n1", ("D1", "Idle")),
        ]);
        Assert.DoesNotContain(Scheduler.Decide(state, Options, Now.AddSeconds(12)), d => d is CopyFailed or CopyVerified or CopyRequeued);

        // Even a (wrong) late report of attempt 1 as verified does not count.
        state = Apply(state, Now.AddSeconds(12), new DiscUnloaded("D1", "J", 1, 1, "T1-1", Bins.Output, "late"));
        Assert.Empty(Scheduler.Decide(state, Options, Now.AddSeconds(12)).OfType<CopyVerified>());

        state = Apply(state, Now.AddSeconds(13), new DiscUnloaded("D2", "J", 1, 2, "T2-1", Bins.Output, "good"));
        var verified = Assert.Single(Scheduler.Decide(state, Options, Now.AddSeconds(13)).OfType<CopyVerified>());
        Assert.Equal((2, "good"), (verified.Attempt, verified.Sha256));
        state = Apply(state, Now.AddSeconds(13), verified, new DriveIdle("D2")); // the disc binned, the drive free
        var completed = Assert.IsType<JobCompleted>(Assert.Single(Scheduler.Decide(state, Options, Now.AddSeconds(13))));
        Assert.Equal((1, 1), (completed.Verified, completed.Rejected));
        Assert.Equal(DriveStatus.Idle, state.Drives["D1"].Status);
    }

    [Fact]
    public void A_lost_node_back_with_an_idle_drive_gets_work_again_when_it_registers()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), Lost("n1", 11)]);
        Assert.Equal(DriveStatus.Offline, state.Drives["D1"].Status);

        state = Apply(state, Now.AddSeconds(20), Joined("n1", ("D1", "Idle")), Job("J", 1));

        Assert.Equal("D1", Assert.Single(Scheduler.Decide(state, Options, Now.AddSeconds(20)).OfType<CopyAssigned>()).DriveId);
    }

    [Fact]
    public void A_held_job_gets_no_new_assignment_until_resumed_while_its_burn_in_flight_still_counts()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1", "D2"), Job("J", 3)]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        state = Apply(state, Now, new JobHeld("J", "operator", Now), new DiscUnloaded("D1", "J", 1, 1, "T1-1", Bins.Output, "a"), new DriveIdle("D1"));

        var decisions = Scheduler.Decide(state, Options, Now);
        Assert.IsType<CopyVerified>(Assert.Single(decisions));
        state = Apply(state, Now, decisions);
        Assert.Empty(Scheduler.Decide(state, Options, Now));

        state = Apply(state, Now, new JobResumed("J", Now));
        Assert.Equal((3, "D1"), (Assert.Single(Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>()).Copy, "D1"));
    }

    [Fact]
    public void A_cancelled_job_stops_assigning_at_once_lets_burns_finish_and_requeues_nothing()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1", "D2"), Job("J", 4)]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        state = Apply(state, Now, new JobCancelled("J", false, "no longer needed", Now), new DriveIdle("D2"), new BurnFailed("D2", "J", 2, 1, "Writing", 5, Underrun));

        var decisions = Scheduler.Decide(state, Options, Now);

        Assert.IsType<CopyFailed>(Assert.Single(decisions));
        state = Apply(state, Now, decisions);
        Assert.Empty(Scheduler.Decide(state, Options, Now));
        Assert.False(state.Jobs["J"].IsFinished);

        state = Apply(state, Now, new DiscUnloaded("D1", "J", 1, 1, "T1-1", Bins.Output, "a"));
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        Assert.True(state.Jobs["J"].IsFinished);
        Assert.Equal((JobStatus.Cancelled, 1, 1), (state.Jobs["J"].Status, state.Jobs["J"].Verified, state.Jobs["J"].Rejected));
    }

    [Fact]
    public void A_cancel_with_abort_asks_the_node_of_every_burn_in_flight_to_abort_once()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1", "D2"), Job("J", 2)]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        state = Apply(state, Now, new JobCancelled("J", true, "wrong image", Now));

        var aborts = Scheduler.Decide(state, Options, Now).Cast<CopyAbortRequested>().ToList();

        Assert.Equal([("D1", "n1"), ("D2", "n1")], aborts.Select(a => (a.DriveId, a.NodeId)));
        state = Apply(state, Now, aborts);
        Assert.Empty(Scheduler.Decide(state, Options, Now));
    }

    [Fact]
    public void A_drive_failing_N_times_within_the_window_goes_to_maintenance_but_not_for_old_failures()
    {
        var options = Options with { MaintenanceAfterFailures = 2, FailureWindow = TimeSpan.FromMinutes(5) };
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1", "D2")]);
        state = Apply(state, Now.AddMinutes(-10), new BurnFailed("D1", "J", 1, 1, "Writing", 5, Underrun));
        state = Apply(state, Now, new BurnFailed("D1", "J", 2, 1, "Writing", 5, Underrun), new BurnFailed("D1", "J", 2, 1, "Refused", -1, Underrun));
        Assert.Empty(Scheduler.Decide(state, options, Now));

        state = Apply(state, Now, new BurnFailed("D1", "J", 3, 1, "Writing", 5, Underrun));
        var ordered = Assert.IsType<DriveMaintenanceOrdered>(Assert.Single(Scheduler.Decide(state, options, Now)));

        Assert.Equal("D1", ordered.DriveId);
        Assert.Contains("2 failed burns within 5 min", ordered.Why, StringComparison.Ordinal);
        state = Apply(state, Now, ordered, Job("J2", 2));
        Assert.Equal(["D2"], Scheduler.Decide(state, options, Now).OfType<CopyAssigned>().Select(a => a.DriveId));
    }

    [Fact]
    public void A_job_no_tower_can_burn_fails_after_the_grace_with_the_reason()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), Job("J", 1) with { MediaType = "BD-R" }]);

        Assert.Empty(Scheduler.Decide(state, Options, Now.AddSeconds(29)));
        var failed = Assert.IsType<JobFailed>(Assert.Single(Scheduler.Decide(state, Options, Now.AddSeconds(30))));
        Assert.Equal("no tower holds BD-R media (towers hold: T1 DVD+R)", failed.Why);
    }

    [Fact]
    public void A_job_fails_when_every_capable_drive_is_in_maintenance()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), new DriveEnteredMaintenance("D1", "fault"), Job("J", 1)]);

        var failed = Assert.IsType<JobFailed>(Assert.Single(Scheduler.Decide(state, Options, Now.AddMinutes(1))));

        Assert.Contains("every drive of the towers holding DVD+R (T1) is in maintenance", failed.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_collated_set_burns_each_disc_of_every_set_with_its_own_image_and_label()
    {
        var source = new JobSource(SourceKind.CollatedSet, "/i/a.iso", [new SetImage("/i/a.iso", 100), new SetImage("/i/b.iso", 200)]);
        var label = new LabelSpec("{title} #{serial} disc {disc}/{discs}", [
            new Dictionary<string, string> { ["title"] = "Doc", ["serial"] = "001" },
            new Dictionary<string, string> { ["title"] = "Doc", ["serial"] = "002" },
        ]);
        var printing = new TowerBinsReported("T1", 10, "DVD+R", 0, 0, CanPrintLabels: true); // labelled copies go to towers that print
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1", "D2", "D3", "D4"), printing, Job("J", 2) with { Source = source, Label = label }]);

        var assigned = Scheduler.Decide(state, Options, Now).Cast<CopyAssigned>().ToList();

        Assert.Equal(4, state.Jobs["J"].Discs);
        Assert.Equal(["/i/a.iso", "/i/b.iso", "/i/a.iso", "/i/b.iso"], assigned.Select(a => a.ImagePath));
        Assert.Equal([100L, 200, 100, 200], assigned.Select(a => a.ImageBlocks));
        Assert.Equal(["Doc #001 disc 1/2", "Doc #001 disc 2/2", "Doc #002 disc 1/2", "Doc #002 disc 2/2"], assigned.Select(a => a.Label));
    }

    [Fact]
    public void Among_equal_priorities_an_earlier_due_time_goes_first_then_age()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), Job("old", 1, minutesAgo: 10), Job("due", 1) with { DueAt = Now.AddHours(1) }]);

        Assert.Equal("due", Assert.Single(Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>()).JobId);
    }

    [Fact]
    public void A_job_may_set_its_own_attempts_per_copy()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), Job("J", 1) with { MaxAttemptsPerCopy = 1 }]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        state = Apply(state, Now, new BurnFailed("D1", "J", 1, 1, "Writing", 5, Underrun));

        var failed = Assert.Single(Scheduler.Decide(state, Options, Now).OfType<JobFailed>());
        Assert.Contains("limit 1", failed.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_projection_shows_a_copy_started_and_its_progress()
    {
        var state = Farm(Now, [.. Node("n1", "T1", 10, "D1"), Job("J", 1)]);
        state = Apply(state, Now, Scheduler.Decide(state, Options, Now));
        state = Apply(state, Now, new BurnAssigned("D1", "J", 1, 1, 1000), new DiscLoaded("D1", "J", 1, "T1-1", "DVD+R"), new BurnStarted("D1", "J", 1, "T1-1", 0, 1000), new SectorsWritten("D1", "J", 1, 499, 1000, 1e6));

        var copy = state.Jobs["J"].CopyStates[1];

        Assert.Equal(("Writing", 499L, 1000L), (copy.Phase, copy.LastWrittenLba, copy.TotalBlocks));
    }

    [Theory]
    [InlineData("{nope}", "uses {nope}")]
    [InlineData("{copy", "unbalanced")]
    public void A_label_template_that_cannot_be_filled_is_refused_with_the_reason(string template, string expected)
    {
        var refused = Assert.Throws<ArgumentException>(() => JobLedger.Validate(new JobRequest("/i/a.iso", 10, 1, VerifyMode.Full, "DVD+R") { Label = new LabelSpec(template) }));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_source_without_its_mastered_image_is_refused_with_what_to_do()
    {
        var refused = Assert.Throws<ArgumentException>(() => JobLedger.Validate(new JobRequest("/data/docs", 0, 1, VerifyMode.Full, "DVD+R") { Source = new JobSource(SourceKind.Folder, "/data/docs") }));

        Assert.Contains("must be mastered into an image first (farm master, or farm submit FOLDER", refused.Message, StringComparison.Ordinal);
        JobLedger.Validate(new JobRequest("/data/docs.iso", 16, 1, VerifyMode.Full, "DVD+R") { Source = new JobSource(SourceKind.Folder, "/data/docs") });
    }

}
