using Farm.Testing;

namespace Farm.Node.Tests.Testing;

// The clock every back-off and poll test relies on; wrong here means those tests prove nothing.
public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Advancing_fires_timers_due_up_to_and_including_the_new_time_earliest_first_and_periodic_ones_once_per_period()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<(string Timer, TimeSpan At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        using var periodic = time.CreateTimer(_ => fired.Add(("tick", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        using var never = time.CreateTimer(_ => fired.Add(("never", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(7), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(
            [("tick", TimeSpan.FromSeconds(2)), ("tick", TimeSpan.FromSeconds(4)), ("late", TimeSpan.FromSeconds(5)), ("tick", TimeSpan.FromSeconds(6))],
            fired);
        Assert.Equal(TimeSpan.FromSeconds(6), time.GetUtcNow() - start);
        Assert.Equal(TimeSpan.FromSeconds(1), time.TimeUntilNextTimer);
    }

    [Fact]
    public async Task A_delay_on_the_clock_completes_only_when_the_clock_reaches_it()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(3), time);
        await time.WaitForArmedTimersAsync(1, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(2));
        var earlyState = delay.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.False(earlyState);
        await delay.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, time.ArmedTimerCount);
    }
}
