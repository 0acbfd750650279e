namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// How long each phase of one disc takes a protocol-level simulated drive, in simulated time
/// (divided by the time scale for real time). The defaults are one full DVD+R at 16x with full
/// verify in a tower with the simulated tower's arm timings:
/// <list type="bullet">
/// <item>load 8 s, unload 6 s: the simulated tower's default arm moves (benchmarks/scale.sh uses them too);</item>
/// <item>write 360 s: 4.7 GB at 16x (22.16 MB/s) with its CAV ramp averages about 6 minutes (docs/SCALING.md, "10,000 drives (arithmetic)");</item>
/// <item>close 20 s: flushing the drive's buffer and closing track and session on a DVD+R;</item>
/// <item>verify 300 s: reading 4.7 GB back at the drive's read speed, about 5 minutes (docs/SCALING.md).</item>
/// </list>
/// Each phase is stretched or shortened at random by up to <see cref="Jitter"/> so that 10,000
/// drives assigned in one burst do not finish in one burst forever after.
/// </summary>
internal sealed record DriveTimings(TimeSpan Load, TimeSpan Write, TimeSpan Close, TimeSpan Verify, TimeSpan Unload, double Jitter)
{
    public static readonly DriveTimings Default = new(
        Load: TimeSpan.FromSeconds(8),
        Write: TimeSpan.FromSeconds(360),
        Close: TimeSpan.FromSeconds(20),
        Verify: TimeSpan.FromSeconds(300),
        Unload: TimeSpan.FromSeconds(6),
        Jitter: 0.1);

    /// <summary>One disc from assignment to idle, in simulated time, without jitter or waiting for the controller.</summary>
    public TimeSpan Cycle => Load + Write + Close + Verify + Unload;

    /// <summary>A phase's real duration at <paramref name="timeScale"/>, with its jitter drawn from <paramref name="random"/>.</summary>
    public static TimeSpan Real(TimeSpan simulated, double timeScale, double jitter, Random random) =>
        simulated / timeScale * (1 + jitter * ((2 * random.NextDouble()) - 1));
}
