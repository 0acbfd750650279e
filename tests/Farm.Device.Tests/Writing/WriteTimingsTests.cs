using Farm.Device.Writing;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>
/// The per-WRITE wait histograms a section logs: they must put a starved drive's gap where it came
/// from (the source, the drive, or the host between two WRITEs), so each wait lands in its bucket.
/// </summary>
public sealed class WriteTimingsTests
{
    private readonly ManualTimeProvider _clock = new();

    private void OneWrite(WriteTimings timings, TimeSpan sourceWait, TimeSpan hostGap, TimeSpan driveWait)
    {
        timings.SourceAsked();
        _clock.Advance(sourceWait);
        timings.SourceAnswered();
        _clock.Advance(hostGap);
        timings.WriteStarting();
        _clock.Advance(driveWait);
        timings.WriteDone();
    }

    [Fact]
    public void Each_wait_is_counted_in_the_bucket_below_its_upper_bound()
    {
        var timings = new WriteTimings(_clock);

        OneWrite(timings, TimeSpan.FromMilliseconds(0.5), TimeSpan.Zero, TimeSpan.FromMilliseconds(3));
        OneWrite(timings, TimeSpan.FromMilliseconds(0.5), TimeSpan.Zero, TimeSpan.FromMilliseconds(4.9));
        OneWrite(timings, TimeSpan.FromMilliseconds(20), TimeSpan.Zero, TimeSpan.FromMilliseconds(5));

        Assert.Equal(
            "3 WRITEs; source waits [<1 ms: 2, <50 ms: 1] (max 20.0 ms); drive waits [<5 ms: 2, <10 ms: 1] (max 5.0 ms); longest gap between WRITEs 20.0 ms",
            timings.ToString());
    }

    [Fact]
    public void A_wait_of_100_ms_or_more_falls_in_the_last_bucket()
    {
        var timings = new WriteTimings(_clock);

        OneWrite(timings, TimeSpan.FromMilliseconds(100), TimeSpan.Zero, TimeSpan.FromMilliseconds(250));

        Assert.Contains("source waits [>=100 ms: 1] (max 100.0 ms)", timings.ToString(), StringComparison.Ordinal);
        Assert.Contains("drive waits [>=100 ms: 1] (max 250.0 ms)", timings.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_longest_gap_counts_the_source_and_the_host_between_two_writes_not_before_the_first()
    {
        var timings = new WriteTimings(_clock);

        OneWrite(timings, TimeSpan.FromMilliseconds(80), TimeSpan.Zero, TimeSpan.FromMilliseconds(1)); // before the first WRITE: no gap yet
        OneWrite(timings, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(7), TimeSpan.FromMilliseconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(9), timings.LongestGap);
        Assert.Equal(TimeSpan.FromMilliseconds(80), timings.LongestSourceWait);
        Assert.Equal(2, timings.Writes);
    }

    [Fact]
    public void A_failed_write_reports_how_long_it_had_run()
    {
        var timings = new WriteTimings(_clock);
        OneWrite(timings, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));

        timings.WriteStarting();
        _clock.Advance(TimeSpan.FromMilliseconds(61.5));
        timings.Failed();

        Assert.Equal(TimeSpan.FromMilliseconds(61.5), timings.FailedAfter);
        Assert.EndsWith("; the failing command ran 61.5 ms", timings.ToString(), StringComparison.Ordinal);
    }
}
