using FsCheck;
using FsCheck.Fluent;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The controller's projection and scheduler against generated farm histories (<see cref="FarmModel"/>:
/// orders delivered, lost or kept waiting; burns that verify, fail or are cut short by a node's
/// restart; pauses and maintenance; nodes restarted in place or declared lost and joining again;
/// reports arriving late and twice): no drive is ever given a copy, or made idle, while an attempt
/// is undecided on it (docs/RELIABILITY.md §4, soak 3). FsCheck shrinks a failure to its shortest
/// history and prints its replay seed.
/// </summary>
public sealed class UndecidedAttemptProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(500);

    private static readonly Gen<ModelStep[]> Histories = ModelSteps.Histories(ModelSteps.FarmLife);

    [Fact]
    public void No_drive_is_given_a_copy_or_made_idle_while_an_attempt_is_undecided_on_it()
    {
        Prop.ForAll(
            Histories.ToArbitrary(),
            steps => new FarmModel().Run(steps))
            .Check(Runs);
    }
}
