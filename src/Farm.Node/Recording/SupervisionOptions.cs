namespace Farm.Node.Recording;

/// <summary>
/// How a crashed recorder is restarted by its <see cref="DriveSupervisor"/>. The n-th restart inside <paramref name="Window"/> waits
/// <c>min(MinBackoff * Factor^(n-1), MaxBackoff)</c>; a failure when <paramref name="MaxRestarts"/>
/// restarts already happened inside the window makes the supervisor give up. The back-off waits
/// count towards the window, so it must be long enough to hold them.
/// </summary>
public sealed record SupervisionOptions(TimeSpan MinBackoff, TimeSpan MaxBackoff, double Factor, int MaxRestarts, TimeSpan Window)
{
    /// <summary>1 s doubling up to 30 s; five restarts within ten minutes and the drive is given up on (maintenance).</summary>
    public static SupervisionOptions Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 2.0, 5, TimeSpan.FromMinutes(10));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value that makes no sense.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinBackoff, TimeSpan.Zero, nameof(MinBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBackoff, MinBackoff, nameof(MaxBackoff));
        if (!double.IsFinite(Factor) || Factor < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "the back-off factor must be a finite number >= 1");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRestarts, nameof(MaxRestarts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(Window));
    }
}
