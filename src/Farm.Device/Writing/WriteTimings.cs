using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Farm.Device.Writing;

/// <summary>
/// Where a section's WRITE stream spent its time, per WRITE: how long the source took to hand out
/// data (<see cref="ISectorSource.NextAsync"/>: the shared ring or the disk) and how long the drive
/// took to accept each WRITE (its buffer full: the drive's pace), as histograms, with the longest
/// gap between two WRITEs. A drive without buffer-underrun-free recording loses its disc when the
/// host leaves it without data for longer than its buffer lasts (58 ms for 4 MiB at BD 16x); these
/// figures say whether such a gap came from the source, the drive or the host in between.
/// Counted on the host's real time (<see cref="TimeProvider.System"/>, a <see cref="Stopwatch"/>
/// timestamp), whatever clock the drive runs on: a drive in accelerated time still starves on the
/// host's real gaps.
/// </summary>
internal sealed class WriteTimings(TimeProvider clock)
{
    /// <summary>Upper bounds of the histogram buckets, in milliseconds; the last bucket is everything above.</summary>
    private static readonly double[] BoundsMs = [1, 2, 5, 10, 20, 50, 100];

    private readonly long[] _sourceWaits = new long[BoundsMs.Length + 1];
    private readonly long[] _driveWaits = new long[BoundsMs.Length + 1];
    private long? _lastWriteEnd;
    private long _marker;

    /// <summary>The longest time between the end of one WRITE and the start of the next, source wait included.</summary>
    public TimeSpan LongestGap { get; private set; }

    public TimeSpan LongestSourceWait { get; private set; }

    public TimeSpan LongestDriveWait { get; private set; }

    public long Writes { get; private set; }

    /// <summary>Before asking the source for data.</summary>
    public void SourceAsked() => _marker = clock.GetTimestamp();

    /// <summary>The source handed out data.</summary>
    public void SourceAnswered()
    {
        var waited = clock.GetElapsedTime(_marker);
        LongestSourceWait = waited > LongestSourceWait ? waited : LongestSourceWait;
        _sourceWaits[Bucket(waited)]++;
    }

    /// <summary>Just before a WRITE is sent.</summary>
    public void WriteStarting()
    {
        _marker = clock.GetTimestamp();
        if (_lastWriteEnd is { } lastWriteEnd)
        {
            var gap = clock.GetElapsedTime(lastWriteEnd, _marker);
            LongestGap = gap > LongestGap ? gap : LongestGap;
        }
    }

    /// <summary>The drive accepted the WRITE.</summary>
    public void WriteDone()
    {
        var end = clock.GetTimestamp();
        _lastWriteEnd = end;
        var waited = clock.GetElapsedTime(_marker, end);
        LongestDriveWait = waited > LongestDriveWait ? waited : LongestDriveWait;
        _driveWaits[Bucket(waited)]++;
        Writes++;
    }

    /// <summary>How long the command that failed had been running (the WRITE that found the drive starved, or the source read that failed).</summary>
    public TimeSpan? FailedAfter { get; private set; }

    /// <summary>The WRITE (or source read) under way failed.</summary>
    public void Failed() => FailedAfter = clock.GetElapsedTime(_marker);

    /// <summary>"source [&lt;1 ms: 10, &lt;2 ms: 3, ...] max 4.1 ms; drive [...] max 1.2 ms; longest gap between WRITEs 0.3 ms".</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Writes} WRITEs; source waits {Histogram(_sourceWaits)} (max {LongestSourceWait.TotalMilliseconds:0.0} ms); drive waits {Histogram(_driveWaits)} (max {LongestDriveWait.TotalMilliseconds:0.0} ms); longest gap between WRITEs {LongestGap.TotalMilliseconds:0.0} ms{(FailedAfter is { } failed ? $"; the failing command ran {failed.TotalMilliseconds:0.0} ms" : string.Empty)}");

    private static int Bucket(TimeSpan waited)
    {
        var ms = waited.TotalMilliseconds;
        for (var i = 0; i < BoundsMs.Length; i++)
        {
            if (ms < BoundsMs[i])
            {
                return i;
            }
        }

        return BoundsMs.Length;
    }

    private static string Histogram(long[] counts)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            text.Append(text.Length > 1 ? ", " : string.Empty);
            var bound = i < BoundsMs.Length ? "<" + BoundsMs[i].ToString(CultureInfo.InvariantCulture) : ">=" + BoundsMs[^1].ToString(CultureInfo.InvariantCulture);
            text.Append(bound).Append(" ms: ").Append(counts[i].ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }
}
