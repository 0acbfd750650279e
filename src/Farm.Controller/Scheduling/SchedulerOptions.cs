namespace Farm.Controller.Scheduling;

/// <summary>The controller's failure policy, as options (Flamenco's "failure policy as options").</summary>
public sealed record SchedulerOptions
{
    /// <summary>Attempts a copy may take before its job fails (each attempt is a fresh disc).</summary>
    public int MaxAttemptsPerCopy { get; init; } = 5;

    public SchedulerOptions Validate() =>
        MaxAttemptsPerCopy < 1
            ? throw new ArgumentException($"MaxAttemptsPerCopy must be at least 1, not {MaxAttemptsPerCopy}")
            : this;
}
