using System.Collections.Concurrent;

namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// What the simulated nodes saw, on this host's clock (UTC ticks, the clock the controller stamps
/// its journal rows and <c>NodeReported.ReceivedAt</c> with): when each report was handed to a
/// node's outbox, when the controller confirmed it (after persisting it), when each drive went idle
/// and when its next assignment arrived. Shared by every simulated node of the run; thread-safe.
/// </summary>
internal sealed class FarmSizeSamples
{
    private readonly ConcurrentDictionary<(string Source, long SequenceNr), long> _emitted = new();
    private readonly ConcurrentDictionary<(string Source, long SequenceNr), long> _unconfirmed = new();
    private readonly ConcurrentDictionary<string, long> _idleSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _assignedOnce = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<(long EmittedAt, double LagMs)> _confirmations = [];
    private readonly ConcurrentBag<(long IdleAt, double LatencyMs)> _idleToAssigned = [];
    private readonly ConcurrentBag<double> _firstAssignments = [];
    private readonly ConcurrentDictionary<string, bool> _registered = new(StringComparer.Ordinal);
    private long _submittedAt = long.MaxValue;

    /// <summary>When the job was submitted (UTC ticks); idles before it are the farm starting, not waiting for work.</summary>
    public long SubmittedAt => Interlocked.Read(ref _submittedAt);

    public int Registered => _registered.Count;

    public int Unconfirmed => _unconfirmed.Count;

    public int EmittedCount => _emitted.Count;

    public void Submitted(long at) => Interlocked.Exchange(ref _submittedAt, at);

    public void NodeRegistered(string nodeId) => _registered[nodeId] = true;

    public void Emitted(string source, long sequenceNr, long at)
    {
        _emitted[(source, sequenceNr)] = at;
        _unconfirmed[(source, sequenceNr)] = at;
    }

    public void Confirmed(string source, long sequenceNr, long at)
    {
        if (_unconfirmed.TryRemove((source, sequenceNr), out var emittedAt))
        {
            _confirmations.Add((emittedAt, TimeSpan.FromTicks(at - emittedAt).TotalMilliseconds));
        }
    }

    /// <summary>When a report was handed to its node's outbox, if this run emitted it.</summary>
    public long? EmittedAt(string source, long sequenceNr) => _emitted.TryGetValue((source, sequenceNr), out var at) ? at : null;

    public void Idle(string driveId, long at) => _idleSince[driveId] = at;

    /// <summary>An assignment reached its drive: the wait since the drive went idle (after the submission), or since the submission for its first copy.</summary>
    public void Assigned(string driveId, long at)
    {
        if (!_idleSince.TryRemove(driveId, out var idleAt))
        {
            return;
        }

        var submitted = SubmittedAt;
        if (_assignedOnce.TryAdd(driveId, true) && idleAt < submitted)
        {
            _firstAssignments.Add(TimeSpan.FromTicks(at - submitted).TotalMilliseconds);
        }
        else if (idleAt >= submitted)
        {
            _idleToAssigned.Add((idleAt, TimeSpan.FromTicks(at - idleAt).TotalMilliseconds));
        }
    }

    /// <summary>Emitted to confirmed, for reports emitted from <paramref name="from"/> on (ms, sorted).</summary>
    public List<double> ConfirmationLags(long from) => Sorted(_confirmations.Where(c => c.EmittedAt >= from).Select(c => c.LagMs));

    /// <summary>Idle to next assignment for drives that went idle from <paramref name="from"/> on (ms, sorted).</summary>
    public List<double> IdleToAssigned(long from) => Sorted(_idleToAssigned.Where(c => c.IdleAt >= from).Select(c => c.LatencyMs));

    /// <summary>Submission to each drive's first assignment (ms, sorted).</summary>
    public List<double> FirstAssignments() => Sorted(_firstAssignments);

    /// <summary>Reports not confirmed at <paramref name="now"/>: how many, and the oldest one's age (ms).</summary>
    public (int Count, double OldestMs) Backlog(long now)
    {
        var waiting = _unconfirmed.Values.ToList();
        return (waiting.Count, waiting.Count == 0 ? 0 : TimeSpan.FromTicks(now - waiting.Min()).TotalMilliseconds);
    }

    /// <summary>Drives idle since the submission and still waiting at <paramref name="now"/>: how many, and the longest wait (ms).</summary>
    public (int Count, double LongestMs) StillIdle(long now)
    {
        var submitted = SubmittedAt;
        if (submitted == long.MaxValue)
        {
            return (0, 0);
        }

        var waiting = _idleSince.Values.Select(at => Math.Max(at, submitted)).ToList();
        return (waiting.Count, waiting.Count == 0 ? 0 : TimeSpan.FromTicks(now - waiting.Min()).TotalMilliseconds);
    }

    /// <summary>Nearest-rank percentile of a sorted list; NaN when empty.</summary>
    public static double At(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static List<double> Sorted(IEnumerable<double> values)
    {
        var list = values.ToList();
        list.Sort();
        return list;
    }
}
