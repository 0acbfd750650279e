using Farm.Controller.Scheduling;
using FsCheck;
using FsCheck.Fluent;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The scheduler on its index (<see cref="Farm.Messages.Views.FarmIndex"/>) against the scheduler
/// before it (<see cref="FullScanScheduler"/>, which scanned every job's every copy and every drive
/// on every pass), on generated farm histories (<see cref="FarmModel"/>, with operators submitting,
/// holding, resuming and cancelling jobs, towers running out of blanks, and limits on attempts and
/// failures low enough to fail jobs and send drives to maintenance): the same decisions in the same
/// order at every pass, the same orders and aborts sent again, and an index kept by the projection
/// that equals the one built from the state by a full scan.
/// </summary>
public sealed class IndexedSchedulerProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly Gen<ModelStep[]> Histories = ModelSteps.Histories(
    [
        .. ModelSteps.FarmLife,
        (1, ModelStepKind.Fail),
        (2, ModelStepKind.SubmitJob),
        (1, ModelStepKind.CancelJob),
        (1, ModelStepKind.HoldJob),
        (1, ModelStepKind.ResumeJob),
        (1, ModelStepKind.TowerBlanks),
    ]);

    private static readonly Gen<SchedulerOptions> Policy =
        from attempts in Gen.Elements(2, 3, 1_000)
        from failures in Gen.Elements(1, 2, 1_000)
        select new SchedulerOptions { MaxAttemptsPerCopy = attempts, MaintenanceAfterFailures = failures };

    [Fact]
    public void The_indexed_scheduler_decides_what_the_full_scan_decides_in_the_same_order()
    {
        Prop.ForAll(
            Policy.SelectMany(policy => Histories.Select(steps => (Policy: policy, Steps: steps))).ToArbitrary(),
            run => new FarmModel(run.Policy, checkedAgainstFullScan: true).Run(run.Steps))
            .Check(Runs);
    }
}
