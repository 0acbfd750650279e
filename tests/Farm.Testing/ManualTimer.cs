namespace Farm.Testing;

public sealed partial class ManualTimeProvider
{
    /// <summary>A timer of a <see cref="ManualTimeProvider"/>; its schedule is guarded by the provider's lock.</summary>
    private sealed class ManualTimer(ManualTimeProvider provider, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; set; }

        public long ArmedOrder { get; set; }

        public bool IsDisposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => provider.Arm(this, dueTime, period);

        public void Fire() => callback(state);

        public void Dispose() => provider.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
