namespace Farm.Node.Recording;

/// <summary>Counts a recorder's recent restarts and says how long the next one waits, or that there is none.</summary>
internal sealed class RestartBudget(SupervisionOptions options)
{
    private readonly Queue<DateTimeOffset> _recent = new();

    /// <summary>Restarts inside the window (as of the last call to <see cref="TryTakeRestart"/>).</summary>
    public int RecentRestarts => _recent.Count;

    /// <summary>Records a restart at <paramref name="now"/> and its back-off; false when the window's budget is spent.</summary>
    public bool TryTakeRestart(DateTimeOffset now, out TimeSpan backoff)
    {
        while (_recent.Count > 0 && now - _recent.Peek() >= options.Window)
        {
            _recent.Dequeue();
        }

        if (_recent.Count >= options.MaxRestarts)
        {
            backoff = TimeSpan.Zero;
            return false;
        }

        var ticks = options.MinBackoff.Ticks * Math.Pow(options.Factor, _recent.Count);
        backoff = ticks >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
        _recent.Enqueue(now);
        return true;
    }
}
