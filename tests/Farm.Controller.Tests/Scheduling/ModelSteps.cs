using FsCheck;
using FsCheck.Fluent;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>Generated histories for <see cref="FarmModel"/>: steps of the given kinds at the given weights, on any of its four drives.</summary>
internal static class ModelSteps
{
    /// <summary>The farm's own life: orders delivered or lost, burns, pauses, maintenance, restarts, reports, ticks.</summary>
    public static readonly (int Weight, ModelStepKind Kind)[] FarmLife =
    [
        (8, ModelStepKind.Deliver),
        (1, ModelStepKind.Drop),
        (10, ModelStepKind.Advance),
        (1, ModelStepKind.Fail),
        (2, ModelStepKind.Pause),
        (2, ModelStepKind.Resume),
        (1, ModelStepKind.EnterMaintenance),
        (1, ModelStepKind.LeaveMaintenance),
        (8, ModelStepKind.FlushReports),
        (1, ModelStepKind.RestartNode),
        (1, ModelStepKind.LoseAndRestartNode),
        (3, ModelStepKind.Tick),
    ];

    public static Gen<ModelStep[]> Histories(params (int Weight, ModelStepKind Kind)[] kinds)
    {
        var step =
            from kind in Gen.Frequency(kinds.Select(k => (k.Weight, Gen.Constant(k.Kind))).ToArray())
            from drive in Gen.Choose(0, 3)
            from choice in Gen.Choose(0, 5)
            select new ModelStep(kind, drive, choice);
        return Gen.Choose(1, 300).SelectMany(length => Gen.ListOf(step, length)).Select(steps => steps.ToArray());
    }
}
