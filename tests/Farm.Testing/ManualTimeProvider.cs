namespace Farm.Testing;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>. Timers created through it
/// (<c>Task.Delay(d, provider)</c>, <c>PeriodicTimer</c>, <c>CancelAfter</c>) fire inside
/// <see cref="Advance"/>, in the order they fall due, on the advancing thread, so a test of
/// back-off or polling needs no sleep. A timer due in zero time fires at the next
/// <see cref="Advance"/> (even <c>Advance(TimeSpan.Zero)</c>), not on its own.
/// </summary>
public sealed partial class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();

    // Held for a whole Advance so that two threads advancing at once move the clock one after
    // the other; Lock is re-entrant, so a timer callback may advance the clock itself.
    private readonly Lock _advancing = new();
    private readonly List<ManualTimer> _armed = [];
    private readonly List<ArmedTimersWaiter> _waiters = [];
    private DateTimeOffset _utcNow;
    private long _armingCount;

    /// <summary>A clock starting at 2025-01-01T00:00:00Z.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public ManualTimeProvider(DateTimeOffset startUtc) => _utcNow = startUtc.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    // Timestamps are the clock's ticks, so elapsed-time arithmetic on them matches GetUtcNow.
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>How many timers are waiting to fire.</summary>
    public int ArmedTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    /// <summary>How long until the next timer fires, or null if none is armed.</summary>
    public TimeSpan? TimeUntilNextTimer
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count == 0 ? null : _armed.Min(t => t.DueAt) - _utcNow;
            }
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _utcNow;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _utcNow.UtcTicks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="by"/>, firing every timer that falls due on the
    /// way, earliest first (ties in the order they were armed); periodic timers fire once per period.
    /// </summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_advancing)
        {
            DateTimeOffset target;
            lock (_gate)
            {
                target = _utcNow + by;
            }

            while (TakeNextDue(target) is { } due)
            {
                // Outside the lock: the callback completes tasks whose continuations may create,
                // change or dispose timers on this provider.
                due.Fire();
            }
        }
    }

    /// <summary>
    /// Completes when at least <paramref name="count"/> timers are armed: the way a test knows the
    /// code under test is now waiting (for a back-off, a poll) before it moves the clock.
    /// </summary>
    public Task WaitForArmedTimersAsync(int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            if (_armed.Count >= count)
            {
                return Task.CompletedTask;
            }

            var waiter = new ArmedTimersWaiter(count);
            _waiters.Add(waiter);
            return waiter.Signal.Task.WaitAsync(cancellationToken);
        }
    }

    private ManualTimer? TakeNextDue(DateTimeOffset target)
    {
        lock (_gate)
        {
            ManualTimer? next = null;
            foreach (var timer in _armed)
            {
                if (timer.DueAt <= target && (next is null || (timer.DueAt, timer.ArmedOrder).CompareTo((next.DueAt, next.ArmedOrder)) < 0))
                {
                    next = timer;
                }
            }

            if (next is null)
            {
                _utcNow = target;
                return null;
            }

            if (next.DueAt > _utcNow)
            {
                _utcNow = next.DueAt;
            }

            if (next.Period > TimeSpan.Zero && next.Period != Timeout.InfiniteTimeSpan)
            {
                next.DueAt += next.Period;
                next.ArmedOrder = ++_armingCount;
            }
            else
            {
                _armed.Remove(next);
            }

            return next;
        }
    }

    private bool Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_gate)
        {
            if (timer.IsDisposed)
            {
                return false;
            }

            _armed.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return true;
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
            timer.DueAt = _utcNow + dueTime;
            timer.Period = period;
            timer.ArmedOrder = ++_armingCount;
            _armed.Add(timer);
            ReleaseSatisfiedWaiters();
            return true;
        }
    }

    private void Disarm(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.IsDisposed = true;
            _armed.Remove(timer);
        }
    }

    private void ReleaseSatisfiedWaiters()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Count <= _armed.Count)
            {
                _waiters[i].Signal.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private sealed record ArmedTimersWaiter(int Count)
    {
        public TaskCompletionSource Signal { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
