namespace Farm.Controller.Scheduling;

/// <summary>The controller's scheduling and failure policy, as options with units; validated when a controller starts.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Attempts a copy may take before its job fails (each attempt is a fresh disc); a job may set its own.</summary>
    public int MaxAttemptsPerCopy { get; init; } = 5;

    /// <summary>
    /// After a failover, how long a node known from the journal may take to register with the new
    /// controller before it is declared lost (when it is not a cluster member any more).
    /// </summary>
    public TimeSpan RegistrationGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the controller waits for a drive to acknowledge an assignment (or an abort) before sending it again.</summary>
    public TimeSpan ResendAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Failed burns within <see cref="FailureWindow"/> after which the controller sends a drive to maintenance.</summary>
    public int MaintenanceAfterFailures { get; init; } = 3;

    /// <summary>The window <see cref="MaintenanceAfterFailures"/> counts in (journal time).</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a job with copies to burn may find no capable drive (no tower holds its media, every such drive in maintenance) before it fails.</summary>
    public TimeSpan NoCapableDriveGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the controller decides even when no event arrives (lease expiry needs no event).</summary>
    public TimeSpan DecideInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the controller waits before starting again after its journal failed (database down); doubles up to a minute.</summary>
    public TimeSpan StoreRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events applied between two snapshots of the controller's state (a standby or restart replays at most this many plus the tail).</summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>
    /// The least time between two snapshots, however fast events come. A snapshot is the whole
    /// farm's state (13.6 MB for 10,000 drives and a 40,000-copy job): at 2,000 events a second,
    /// <see cref="SnapshotEvery"/> alone asked for two a second. A restart then replays at most
    /// <see cref="SnapshotEvery"/> events or the events of this interval, whichever is more (10,000
    /// at that rate; a replay runs at about 40,000 events a second, docs/BENCHMARKS.md, "Controller recovery").
    /// </summary>
    public TimeSpan SnapshotMinInterval { get; init; } = TimeSpan.FromSeconds(5);

    public SchedulerOptions Validate()
    {
        Require(SnapshotEvery >= 1 && SnapshotEvery <= 10_000_000, $"SnapshotEvery must be between 1 and 10,000,000 events, not {SnapshotEvery}");
        Require(SnapshotMinInterval >= TimeSpan.Zero && SnapshotMinInterval <= TimeSpan.FromHours(1), $"SnapshotMinInterval must be between 0 and 1 hour, not {SnapshotMinInterval}");
        Require(MaxAttemptsPerCopy >= 1, $"MaxAttemptsPerCopy must be at least 1, not {MaxAttemptsPerCopy}");
        Require(RegistrationGrace >= TimeSpan.Zero && RegistrationGrace <= TimeSpan.FromHours(1), $"RegistrationGrace must be between 0 and 1 hour, not {RegistrationGrace}");
        Require(ResendAfter >= TimeSpan.FromMilliseconds(100) && ResendAfter <= TimeSpan.FromMinutes(10), $"ResendAfter must be between 100 ms and 10 minutes, not {ResendAfter}");
        Require(MaintenanceAfterFailures >= 1, $"MaintenanceAfterFailures must be at least 1, not {MaintenanceAfterFailures}");
        Require(FailureWindow > TimeSpan.Zero && FailureWindow <= TimeSpan.FromDays(30), $"FailureWindow must be positive and at most 30 days, not {FailureWindow}");
        Require(NoCapableDriveGrace >= TimeSpan.Zero && NoCapableDriveGrace <= TimeSpan.FromDays(1), $"NoCapableDriveGrace must be between 0 and 1 day, not {NoCapableDriveGrace}");
        Require(DecideInterval >= TimeSpan.FromMilliseconds(10) && DecideInterval <= TimeSpan.FromMinutes(1), $"DecideInterval must be between 10 ms and 1 minute, not {DecideInterval}");
        Require(StoreRetryDelay >= TimeSpan.FromMilliseconds(10) && StoreRetryDelay <= TimeSpan.FromMinutes(5), $"StoreRetryDelay must be between 10 ms and 5 minutes, not {StoreRetryDelay}");
        return this;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
