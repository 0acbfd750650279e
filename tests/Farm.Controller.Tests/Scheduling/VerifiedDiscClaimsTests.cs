using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The controller's rule for a drive's claim that its verified disc counts (docs/RELIABILITY.md §4),
/// and what the ledger does with a disc not counted and with a drive restarted before it accepted
/// its assignment: as pure functions of the journal's events.
/// </summary>
public sealed class VerifiedDiscClaimsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 6, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new();

    private static FarmState Farm(params IFarmEvent[] events) => events.Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, e));

    /// <summary>Node n1 with drives D1 and D2, job J of <paramref name="copies"/> copies, copy 1 on D1 (and copy 2 on D2), accepted and verified by the drives.</summary>
    private static FarmState Burning(int copies = 2)
    {
        var state = Farm(
            new NodeJoined("n1", "akka.tcp://farm@n1:4053", Now, []),
            new TowerBinsReported("T1", 10, "DVD+R", 0, 0),
            new DriveCameOnline("D1", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("D1"),
            new DriveCameOnline("D2", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("D2"),
            new JobSubmitted("J", "/images/release.iso", 1000, copies, VerifyMode.Full, "DVD+R", 0, Now));
        return Apply(state, [.. Scheduler.Decide(state, Options, Now)]);
    }

    private static FarmState Apply(FarmState state, params IFarmEvent[] events) => events.Aggregate(state, (s, e) => FarmProjection.Apply(s, e));

    private static VerifiedDiscClaim Claim(int copy = 1, int attempt = 1, string driveId = "D1") => new("n1", driveId, "J", copy, attempt, $"disc-{copy}-{attempt}", "abc");

    [Fact]
    public void A_disc_of_the_drives_current_attempt_counts()
    {
        Assert.Equal((ClaimVerdict.Count, (string?)null), VerifiedDiscClaims.Judge(Burning(), Claim()));
    }

    [Fact]
    public void A_claim_asked_again_after_it_was_counted_counts_again_and_another_attempts_disc_is_one_too_many()
    {
        var counted = Apply(Burning(), new CopyVerified("J", 1, 1, "D1", "abc", "disc-1-1"));

        Assert.Equal(ClaimVerdict.CountedAlready, VerifiedDiscClaims.Judge(counted, Claim()).Verdict);
        var (verdict, why) = VerifiedDiscClaims.Judge(counted, Claim(attempt: 2, driveId: "D2"));
        Assert.Equal(ClaimVerdict.Refuse, verdict);
        Assert.Contains("already verified by attempt 1 in drive D1; this disc would be one too many", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disc_of_a_node_declared_lost_does_not_count()
    {
        var lost = Apply(Burning(), new NodeLost("n1", Now, Now));

        var (verdict, why) = VerifiedDiscClaims.Judge(lost, Claim());

        Assert.Equal(ClaimVerdict.Refuse, verdict);
        Assert.Contains("node n1 was declared lost", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disc_of_an_attempt_the_controller_failed_and_requeued_does_not_count()
    {
        var state = Burning();
        var reason = new FailureReason("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, Disposition.FailDisc, "node left");
        var requeued = Apply(state, new CopyFailed("J", 1, 1, "D1", reason, null), new CopyRequeued("J", 1, 2, "D1"));

        var (verdict, why) = VerifiedDiscClaims.Judge(requeued, Claim());

        Assert.Equal(ClaimVerdict.Refuse, verdict);
        Assert.Contains("attempt 1 of copy 1 of job J is no longer drive D1's: the copy is pending", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_claim_for_a_copy_the_controller_does_not_know_is_refused_with_the_reason()
    {
        var (verdict, why) = VerifiedDiscClaims.Judge(Burning(), Claim(copy: 9));

        Assert.Equal(ClaimVerdict.Refuse, verdict);
        Assert.Contains("knows no copy 9 of job J", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_verified_disc_the_drive_reports_not_counted_fails_its_attempt_with_the_reason()
    {
        var state = Apply(Burning(), new DiscCountAnswered("D1", "J", 1, 1, "disc-1-1", false, "the controller did not say within 10 min"));

        var failed = Assert.Single(Scheduler.Decide(state, Options, Now).OfType<CopyFailed>());

        Assert.Equal((1, 1, "disc-1-1"), (failed.Copy, failed.Attempt, failed.DiscId));
        Assert.Contains("verified disc disc-1-1 was not counted: the controller did not say within 10 min", failed.Reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drive_restarted_before_it_accepted_its_assignment_stays_busy_with_it_and_gets_no_second_copy()
    {
        var state = Burning(copies: 3);

        var restarted = Apply(state, new DriveCameOnline("D1", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("D1"));

        var drive = restarted.Drives["D1"];
        Assert.Equal((DriveStatus.Busy, "Assigned", "J", 1), (drive.Status, drive.Phase, drive.JobId, drive.Copy));
        Assert.DoesNotContain(Scheduler.Decide(restarted, Options, Now).OfType<CopyAssigned>(), a => a.DriveId == "D1");
    }

    [Fact]
    public void A_drive_idle_after_it_accepted_and_finished_its_copy_is_idle()
    {
        var state = Apply(
            Burning(),
            new BurnAssigned("D1", "J", 1, 1, 1000),
            new CopyVerified("J", 1, 1, "D1", "abc", "disc-1-1"),
            new DiscUnloaded("D1", "J", 1, 1, "disc-1-1", Bins.Output, "abc"),
            new DriveIdle("D1"));

        Assert.Equal(DriveStatus.Idle, state.Drives["D1"].Status);
    }
}
