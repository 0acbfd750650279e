using Farm.Messages.Nodes;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Cluster;
using Farm.Node.Configuration;

namespace Farm.Benchmarks.Scale;

/// <summary>
/// The scale run's figures, read from the journals after the run (each row's timestamp is when
/// its journal wrote it; all on this host, one clock):
/// <list type="bullet">
/// <item>the physical limit: the job's wall time on the same towers with a controller that answers
/// in no time (<see cref="InstantControllerReplay"/>, from the drives' measured work per disc and
/// the arms' configured times); utilisation is that over the measured wall time;</item>
/// <item>drive-time used: per drive, from each BurnAssigned its journal holds to the DriveIdle
/// after it (load, burn, verify, unload and any wait for the tower's arm); spread evenly over every
/// drive it is the "even spread" bound, which no farm of discs of equal length reaches (the
/// figure called the physical limit before 2026-12-03 16:00 UTC);</item>
/// <item>idle-to-assigned: from a drive's DriveIdle (its node's journal) to the next CopyAssigned
/// for that drive in the controller's journal, for idles after the job was submitted that the
/// controller gave more work;</item>
/// <item>a drive's idle report on its way: from its DriveIdle row in the node's journal to the
/// controller taking it from its mailbox (NodeReported.ReceivedAt: the outbox, Akka.Delivery, the
/// network), and from there to its NodeReported row (the controller's batching and write);</item>
/// <item>the controller's events persisted while the job ran, and its journal's rows.</item>
/// </list>
/// </summary>
internal sealed record ScaleFigures(TimeSpan PhysicalLimit, TimeSpan EvenSpread, double AssignP50Ms, double AssignP99Ms, int AssignCount, int ControllerEvents, int JournalRows, DateTimeOffset? Completed, IdleBreakdown Breakdown, (double P50, double P99) ToControllerMs, (double P50, double P99) InControllerMs, IReadOnlyList<SlowReport> SlowestReports)
{
    /// <summary>How many of the slowest idle reports the figures keep (to see whether they come together: a pause of one process, or apart).</summary>
    public const int SlowReportsKept = 20;

    /// <param name="load">The towers' arm load time, real time (configured seconds / time scale).</param>
    /// <param name="unload">The towers' arm unload time, real time.</param>
    public static async Task<ScaleFigures> ReadAsync(string store, IReadOnlyList<string> nodeFolders, DateTimeOffset submitted, DateTimeOffset finished, TimeSpan load, TimeSpan unload)
    {
        if (!JournalAddress.TryParse(store, out var farm, out _))
        {
            throw new ArgumentException($"'{store}' is not a store address");
        }

        var busy = TimeSpan.Zero;
        var drives = 0;
        var idles = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var intervals = new Dictionary<string, List<(long Assigned, long Idle)>>(StringComparer.Ordinal);
        var towerOfDrive = new Dictionary<string, string>(StringComparer.Ordinal);
        var works = new List<(long LoadedAt, TimeSpan Work)>();
        var idleReports = new Dictionary<(string Source, long SequenceNr), long>();
        var armMoves = new Dictionary<string, List<(long Asked, long Done, bool Load)>>(StringComparer.Ordinal);
        void ArmMove(string tower, (long Asked, long Done, bool Load) move) =>
            (armMoves.TryGetValue(tower, out var moves) ? moves : armMoves[tower] = []).Add(move);
        foreach (var folder in nodeFolders)
        {
            var rows = await Cluster.DeliveryLatency.ReadAsync(new JournalAddress(true, Path.Combine(folder, "node.db")), p => p.StartsWith("drive-", StringComparison.Ordinal)).ConfigureAwait(false);
            foreach (var drive in rows.GroupBy(r => r.Pid))
            {
                drives++;
                long? assignedAt = null;
                long? loadedAt = null;
                long? unloadAsked = null;
                string? tower = null;
                foreach (var (pid, sequenceNr, ticks, e) in drive.OrderBy(r => r.SequenceNr))
                {
                    switch (e)
                    {
                        case DriveCameOnline online:
                            towerOfDrive[online.DriveId] = tower = online.TowerId;
                            break;
                        case DiscLoaded when tower is not null && assignedAt is { } asked && ticks >= submitted.UtcTicks:
                            loadedAt = ticks;
                            ArmMove(tower, (asked, ticks, true));
                            break;
                        case DiscCountAnswered:
                            unloadAsked = ticks;
                            break;
                        case DiscUnloaded when tower is not null && unloadAsked is { } asked && ticks >= submitted.UtcTicks:
                            ArmMove(tower, (asked, ticks, false));
                            unloadAsked = null;
                            break;
                        case DiscVerified when loadedAt is { } loadTicks && ticks >= submitted.UtcTicks:
                            works.Add((loadTicks, TimeSpan.FromTicks(ticks - loadTicks)));
                            loadedAt = null;
                            break;
                        case BurnAssigned:
                            assignedAt ??= ticks;
                            break;
                        case DriveIdle idle:
                            idleReports[(pid, sequenceNr)] = ticks;
                            if (assignedAt is { } from)
                            {
                                busy += TimeSpan.FromTicks(ticks - from);
                                (intervals.TryGetValue(idle.DriveId, out var spans) ? spans : intervals[idle.DriveId] = []).Add((from, ticks));
                                assignedAt = null;
                            }

                            if (ticks >= submitted.UtcTicks)
                            {
                                (idles.TryGetValue(idle.DriveId, out var list) ? list : idles[idle.DriveId] = []).Add(ticks);
                            }

                            break;
                    }
                }
            }
        }

        var assigned = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var events = 0;
        var journalRows = 0;
        long? completed = null;
        var toController = new List<double>();
        var inController = new List<double>();
        var reports = new List<SlowReport>();
        foreach (var (_, _, ticks, e) in await Cluster.DeliveryLatency.ReadAsync(farm!, p => p == FarmControllerKey.PersistenceId).ConfigureAwait(false))
        {
            journalRows++;
            if (ticks >= submitted.UtcTicks && ticks <= finished.UtcTicks)
            {
                events++;
            }

            if (e is JobCompleted && ticks >= submitted.UtcTicks)
            {
                completed ??= ticks;
            }

            if (e is NodeReported { Event: DriveIdle } report && idleReports.TryGetValue((report.SourceId, report.SequenceNr), out var idledAt) && idledAt >= submitted.UtcTicks)
            {
                var way = TimeSpan.FromTicks(report.ReceivedAt.UtcTicks - idledAt).TotalMilliseconds;
                var inside = TimeSpan.FromTicks(ticks - report.ReceivedAt.UtcTicks).TotalMilliseconds;
                toController.Add(way);
                inController.Add(inside);
                reports.Add(new SlowReport(TimeSpan.FromTicks(idledAt - submitted.UtcTicks), report.SourceId, way, inside));
            }

            if (e is CopyAssigned copy)
            {
                (assigned.TryGetValue(copy.DriveId, out var list) ? list : assigned[copy.DriveId] = []).Add(ticks);
            }
        }

        var latencies = new List<double>();
        foreach (var (driveId, idleTimes) in idles)
        {
            var assignments = assigned.GetValueOrDefault(driveId) ?? [];
            assignments.Sort();
            foreach (var idleAt in idleTimes)
            {
                var next = assignments.FindIndex(a => a >= idleAt);
                if (next >= 0)
                {
                    latencies.Add(TimeSpan.FromTicks(assignments[next] - idleAt).TotalMilliseconds);
                }
            }
        }

        latencies.Sort();
        var end = completed ?? finished.UtcTicks;
        return new ScaleFigures(
            InstantControllerReplay.Makespan(towerOfDrive, [.. works.OrderBy(w => w.LoadedAt).Select(w => w.Work)], ArmTimes(armMoves, true, load), ArmTimes(armMoves, false, unload)),
            drives == 0 ? TimeSpan.Zero : busy / drives,
            At(latencies, 0.50),
            At(latencies, 0.99),
            latencies.Count,
            events,
            journalRows,
            completed is { } c ? new DateTimeOffset(c, TimeSpan.Zero) : null,
            IdleBreakdown.Of(intervals, assigned, submitted.UtcTicks, end),
            Percentiles(toController),
            Percentiles(inController),
            [.. reports.OrderByDescending(r => r.ToControllerMs + r.InControllerMs).Take(SlowReportsKept).OrderBy(r => r.IdleAfterSubmit)]);
    }

    /// <summary>
    /// How long the arms took per load (or unload), measured: in each tower, a move's end (the
    /// drive's DiscLoaded or DiscUnloaded) less the later of when it was asked (BurnAssigned, or the
    /// answer to the verified-disc claim) and the end of the tower's move before it; so on a loaded
    /// machine the arm is as slow in the replay as it was in the run. The configured time when the
    /// run has no move.
    /// </summary>
    private static List<TimeSpan> ArmTimes(Dictionary<string, List<(long Asked, long Done, bool Load)>> armMoves, bool loads, TimeSpan configured)
    {
        var times = new List<(long Done, TimeSpan Took)>();
        foreach (var moves in armMoves.Values)
        {
            var previousDone = long.MinValue;
            foreach (var move in moves.OrderBy(m => m.Done))
            {
                if (move.Load == loads)
                {
                    times.Add((move.Done, TimeSpan.FromTicks(move.Done - Math.Max(move.Asked, previousDone))));
                }

                previousDone = move.Done;
            }
        }

        return times.Count == 0 ? [configured] : [.. times.OrderBy(t => t.Done).Select(t => t.Took)];
    }

    /// <summary>When the controller's journal wrote the (first) job's JobSubmitted row; null without one.</summary>
    public static async Task<DateTimeOffset?> SubmittedAsync(string store)
    {
        if (!JournalAddress.TryParse(store, out var farm, out _))
        {
            throw new ArgumentException($"'{store}' is not a store address");
        }

        var rows = await Cluster.DeliveryLatency.ReadAsync(farm!, p => p == FarmControllerKey.PersistenceId).ConfigureAwait(false);
        return rows.Where(r => r.Event is JobSubmitted).Select(r => (DateTimeOffset?)new DateTimeOffset(r.Ticks, TimeSpan.Zero)).FirstOrDefault();
    }

    private static (double P50, double P99) Percentiles(List<double> values)
    {
        values.Sort();
        return (At(values, 0.50), At(values, 0.99));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double At(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

/// <summary>One idle report on its way: when the drive went idle (after the submit), its source, and its two parts' milliseconds.</summary>
internal sealed record SlowReport(TimeSpan IdleAfterSubmit, string SourceId, double ToControllerMs, double InControllerMs);
