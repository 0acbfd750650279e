using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>Labelled jobs go only to towers that report a printer; one no tower of its media can print is refused, or fails after the grace.</summary>
public sealed class LabelPrinterSchedulingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new();

    private static IFarmEvent[] Tower(string towerId, bool printer, params string[] drives) =>
    [
        new TowerBinsReported(towerId, 10, "DVD+R", 0, 0, printer),
        .. drives.SelectMany(d => new IFarmEvent[] { new DriveCameOnline(d, "n1", towerId, "SIM", "DRIVE"), new DriveIdle(d) }),
    ];

    private static JobSubmitted Job(string id, int copies, string? label) =>
        new(id, "/images/release.iso", 1000, copies, VerifyMode.Full, "DVD+R", 0, Now) { Label = label is null ? null : new LabelSpec(label) };

    private static FarmState Farm(params IFarmEvent[] events) =>
        events.Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, e, 0, Now));

    private static readonly NodeJoined Joined = new("n1", "akka.tcp://farm@n1:4053", Now, []);

    [Fact]
    public void A_labelled_copy_goes_only_to_a_drive_of_a_tower_that_prints()
    {
        var state = Farm([Joined, .. Tower("T1", printer: false, "T1-D1", "T1-D2"), .. Tower("T2", printer: true, "T2-D1"), Job("J", 3, "{job} copy {copy}")]);

        var assigned = Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>().ToList();

        var only = Assert.Single(assigned);
        Assert.Equal(("T2-D1", "J copy 1"), (only.DriveId, only.Label));
        Assert.True(state.Towers["T2"].CanPrintLabels);
        Assert.False(state.Towers["T1"].CanPrintLabels);
    }

    [Fact]
    public void A_job_without_a_label_still_goes_to_towers_that_cannot_print()
    {
        var state = Farm([Joined, .. Tower("T1", printer: false, "T1-D1", "T1-D2"), Job("J", 2, null)]);

        Assert.Equal(["T1-D1", "T1-D2"], Scheduler.Decide(state, Options, Now).OfType<CopyAssigned>().Select(a => a.DriveId));
    }

    [Fact]
    public void A_labelled_job_no_tower_of_its_media_can_print_waits_then_fails_saying_why()
    {
        var state = Farm([Joined, .. Tower("T1", printer: false, "T1-D1"), Job("J", 1, "{job}")]);

        Assert.Empty(Scheduler.Decide(state, Options, Now));
        var failed = Assert.IsType<JobFailed>(Assert.Single(Scheduler.Decide(state, Options, Now + Options.NoCapableDriveGrace)));
        Assert.Contains("no tower holding DVD+R media can print it (T1", failed.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refusal_names_the_towers_and_what_to_do_and_stays_silent_when_one_prints()
    {
        var noPrinter = Farm([.. Tower("T1", printer: false, "T1-D1"), new TowerBinsReported("T2", 10, "BD-R", 0, 0, true)]);

        var problem = LabelPrinters.Problem(noPrinter, "DVD+R");

        Assert.Equal(
            "the job has a label, but no tower holding DVD+R media can print it (T1: no printer the farm drives; a SCSI media changer's tower has none; "
            + "towers that print: T2 (BD-R)); submit it without a label, or load DVD+R blanks into a tower with a printer",
            problem);
        Assert.Null(LabelPrinters.Problem(noPrinter, "BD-R"));
        Assert.Null(LabelPrinters.Problem(noPrinter, "CD-R")); // no tower holds it: the no-drive grace says so
        Assert.Null(LabelPrinters.Problem(FarmState.Empty, "DVD+R"));
    }
}
