namespace Farm.Device.Simulation;

/// <summary>
/// The pacing of a simulated drive's long operations (flush, close, format, blank): the one
/// running now, its progress on the injected clock, and simulated durations scaled to that clock
/// (<see cref="SimulatedDriveOptions.TimeScale"/>). State read and changed under the drive's lock.
/// </summary>
internal sealed class LongOperations
{
    private readonly SimulatedDriveOptions _options;
    private readonly TimeProvider _clock;

    public LongOperations(SimulatedDriveOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
    }

    /// <summary>The long operation running now, or null.</summary>
    public LongOperation? Current { get; private set; }

    /// <summary>A simulated duration on the injected clock: divided by the time scale, zero when unlimited.</summary>
    public TimeSpan OnClock(TimeSpan simulated) => _options.UnlimitedSpeed ? TimeSpan.Zero : simulated / _options.TimeScale;

    /// <summary>
    /// Starts a long operation: the drive answers <paramref name="sense"/> with progress until
    /// <paramref name="simulated"/> (scaled) has passed, then runs <paramref name="complete"/>.
    /// Null when it takes no time (unlimited speed): done already.
    /// </summary>
    public LongOperation? Begin(string what, DrivePhase phase, SenseCode sense, TimeSpan simulated, Action? complete)
    {
        var duration = OnClock(simulated);
        if (duration <= TimeSpan.Zero)
        {
            complete?.Invoke();
            return null;
        }

        return Start(what, phase, sense, duration, complete);
    }

    /// <summary>Starts a long operation that lasts <paramref name="duration"/> on the clock (already scaled).</summary>
    public LongOperation Start(string what, DrivePhase phase, SenseCode sense, TimeSpan duration, Action? complete)
    {
        var operation = new LongOperation(what, phase, sense, _clock.GetTimestamp(), duration, complete);
        Current = operation;
        return operation;
    }

    /// <summary>Ends the running operation when its time is up, and runs what it completes.</summary>
    public void CompleteIfDue()
    {
        if (Current is { } operation && _clock.GetElapsedTime(operation.StartTimestamp) >= operation.Duration)
        {
            Current = null;
            operation.Complete?.Invoke();
        }
    }

    /// <summary>Ends <paramref name="operation"/> if it is still the running one (its waiter is back).</summary>
    public void End(LongOperation operation, bool runComplete)
    {
        if (ReferenceEquals(Current, operation))
        {
            Current = null;
            if (runComplete)
            {
                operation.Complete?.Invoke();
            }
        }
    }

    /// <summary>The running operation is cut off (power loss, medium removed): what it would complete never happens.</summary>
    public void CutOff() => Current = null;

    /// <summary>SPC-4 progress indication: the fraction done, in 65536ths.</summary>
    public ushort Progress(LongOperation operation)
    {
        if (operation.Duration <= TimeSpan.Zero)
        {
            return ushort.MaxValue;
        }

        double done = _clock.GetElapsedTime(operation.StartTimestamp) / operation.Duration;
        return (ushort)Math.Clamp(done * 65536, 0, ushort.MaxValue);
    }
}

/// <summary>A long operation (flush, close, format, blank) the drive reports as <see cref="Sense"/> until it is over.</summary>
internal sealed record LongOperation(string What, DrivePhase Phase, SenseCode Sense, long StartTimestamp, TimeSpan Duration, Action? Complete);
