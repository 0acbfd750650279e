using System.Collections.Immutable;

namespace Farm.Messages.Views;

/// <summary>A copy of a job, ordered as the scheduler visits them: jobs by ordinal id, then copy number.</summary>
public readonly record struct CopyKey(string JobId, int Copy)
{
    public static readonly IComparer<CopyKey> Order = Comparer<CopyKey>.Create((a, b) =>
    {
        var byJob = string.CompareOrdinal(a.JobId, b.JobId);
        return byJob != 0 ? byJob : a.Copy.CompareTo(b.Copy);
    });
}

/// <summary>An idle drive, ordered as the scheduler offers them: fewest failures first, then ordinal id.</summary>
public readonly record struct IdleDriveKey(int Failures, string DriveId)
{
    public static readonly IComparer<IdleDriveKey> Order = Comparer<IdleDriveKey>.Create((a, b) =>
    {
        var byFailures = a.Failures.CompareTo(b.Failures);
        return byFailures != 0 ? byFailures : string.CompareOrdinal(a.DriveId, b.DriveId);
    });
}

/// <summary>
/// A job waiting for drives, ordered as the scheduler serves them: priority (high first), due time
/// (earliest first; none last), submit time, then ordinal id.
/// </summary>
public readonly record struct QueuedJobKey(int Priority, DateTimeOffset DueAt, DateTimeOffset SubmittedAt, string JobId)
{
    public static readonly IComparer<QueuedJobKey> Order = Comparer<QueuedJobKey>.Create((a, b) =>
    {
        var c = b.Priority.CompareTo(a.Priority);
        if (c == 0)
        {
            c = a.DueAt.CompareTo(b.DueAt);
        }

        if (c == 0)
        {
            c = a.SubmittedAt.CompareTo(b.SubmittedAt);
        }

        return c != 0 ? c : string.CompareOrdinal(a.JobId, b.JobId);
    });

    public static QueuedJobKey Of(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new(job.Priority, job.DueAt ?? DateTimeOffset.MaxValue, job.SubmittedAt, job.JobId);
    }
}

/// <summary>A job's copies by status: kept as counts so a decision does not count a job's copies again.</summary>
public readonly record struct CopyTally(int Verified, int InFlight, int Pending);

/// <summary>A tower's drives: how many reported, and how many of them are in maintenance.</summary>
public readonly record struct TowerDriveTally(int Drives, int InMaintenance);

/// <summary>
/// What the scheduler looks up instead of scanning the farm (docs/SCALING.md, "Farm size"): the
/// copies and drives in each state a decision visits, kept by <see cref="FarmState"/>'s own updates
/// (<see cref="FarmState.WithJob"/>, <see cref="FarmState.WithDrive"/>, <see cref="FarmState.WithNode"/>)
/// so a decision costs what changed, not the farm's size. Derived data only: never serialized; a
/// state whose jobs, drives or nodes were replaced some other way (a snapshot loaded, a state built
/// by hand) gets it built again from them (<see cref="Build"/>), so it always says what a full scan would.
/// Membership is by the copy's or drive's own fields; what depends on another record (the job's
/// status for a copy's outcome, the node for an idle drive) the scheduler still checks.
/// </summary>
public sealed record FarmIndex
{
    private static readonly ImmutableSortedSet<string> NoIds = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
    private static readonly ImmutableSortedSet<CopyKey> NoCopies = ImmutableSortedSet.Create(CopyKey.Order);
    private static readonly ImmutableSortedSet<int> NoNumbers = [];

    private FarmIndex(ImmutableSortedDictionary<string, JobState> jobs, ImmutableSortedDictionary<string, DriveView> drives, ImmutableSortedDictionary<string, NodeView> nodes)
    {
        IndexedJobs = jobs;
        IndexedDrives = drives;
        IndexedNodes = nodes;
    }

    private ImmutableSortedDictionary<string, JobState> IndexedJobs { get; init; }

    private ImmutableSortedDictionary<string, DriveView> IndexedDrives { get; init; }

    private ImmutableSortedDictionary<string, NodeView> IndexedNodes { get; init; }

    /// <summary>Nodes the cluster removed (<see cref="NodeView.Lost"/>), ordinal.</summary>
    public ImmutableSortedSet<string> LostNodes { get; private init; } = NoIds;

    /// <summary>Each node's drives, ordinal.</summary>
    public ImmutableDictionary<string, ImmutableSortedSet<string>> DrivesByNode { get; private init; } = ImmutableDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal);

    /// <summary>Drives idle with no job (their node may still be lost or unknown).</summary>
    public ImmutableSortedSet<IdleDriveKey> IdleDrives { get; private init; } = ImmutableSortedSet.Create(IdleDriveKey.Order);

    /// <summary>Per tower, its busy drives whose assignment is not yet loading (phase Assigned or Accepted): blanks they will take.</summary>
    public ImmutableDictionary<string, int> ClaimedByTower { get; private init; } = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>Drives idle or busy.</summary>
    public int Serviceable { get; private init; }

    /// <summary>Per job, its busy drives (<see cref="DriveView.JobId"/>).</summary>
    public ImmutableDictionary<string, int> BusyByJob { get; private init; } = ImmutableDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>Drives not in maintenance with failures in their record (candidates for a maintenance order), ordinal.</summary>
    public ImmutableSortedSet<string> FailingDrives { get; private init; } = NoIds;

    /// <summary>Per node, its drives holding an assignment not accepted yet (not offline, phase Assigned, a job), ordinal.</summary>
    public ImmutableDictionary<string, ImmutableSortedSet<string>> UnacceptedByNode { get; private init; } = ImmutableDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal);

    /// <summary>Per tower, its drives and how many are in maintenance.</summary>
    public ImmutableDictionary<string, TowerDriveTally> DrivesByTower { get; private init; } = ImmutableDictionary.Create<string, TowerDriveTally>(StringComparer.Ordinal);

    /// <summary>Copies with a drive's outcome waiting to be recorded (any job status).</summary>
    public ImmutableSortedSet<CopyKey> Outcomes { get; private init; } = NoCopies;

    /// <summary>Per drive, the copies assigned to it (any outcome, any job status).</summary>
    public ImmutableDictionary<string, ImmutableSortedSet<CopyKey>> AssignedByDrive { get; private init; } = ImmutableDictionary.Create<string, ImmutableSortedSet<CopyKey>>(StringComparer.Ordinal);

    /// <summary>Copies of jobs cancelled with abort, in flight with no outcome, whose abort was not requested yet.</summary>
    public ImmutableSortedSet<CopyKey> AbortsDue { get; private init; } = NoCopies;

    /// <summary>Copies of jobs cancelled with abort, in flight with no outcome, whose abort was requested (sent again until they end).</summary>
    public ImmutableSortedSet<CopyKey> AbortsRequested { get; private init; } = NoCopies;

    /// <summary>Per job, its copies verified, in flight and pending.</summary>
    public ImmutableDictionary<string, CopyTally> Tallies { get; private init; } = ImmutableDictionary.Create<string, CopyTally>(StringComparer.Ordinal);

    /// <summary>Per job, its pending copies in order.</summary>
    public ImmutableDictionary<string, ImmutableSortedSet<int>> PendingCopies { get; private init; } = ImmutableDictionary.Create<string, ImmutableSortedSet<int>>(StringComparer.Ordinal);

    /// <summary>Jobs running or held, ordinal.</summary>
    public ImmutableSortedSet<string> ActiveJobs { get; private init; } = NoIds;

    /// <summary>Running jobs with pending copies, in the order the scheduler serves them.</summary>
    public ImmutableSortedSet<QueuedJobKey> Queue { get; private init; } = ImmutableSortedSet.Create(QueuedJobKey.Order);

    /// <summary>Whether this index was made for exactly these collections (the same instances).</summary>
    public bool Indexes(FarmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ReferenceEquals(IndexedJobs, state.Jobs) && ReferenceEquals(IndexedDrives, state.Drives) && ReferenceEquals(IndexedNodes, state.Nodes);
    }

    /// <summary>The index of <paramref name="state"/> by a full scan: what every update must keep it equal to.</summary>
    public static FarmIndex Build(FarmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var index = new FarmIndex(state.Jobs, state.Drives, state.Nodes);
        foreach (var node in state.Nodes.Values)
        {
            index = index.Node(node, +1);
        }

        foreach (var drive in state.Drives.Values)
        {
            index = index.Drive(drive, +1);
        }

        foreach (var job in state.Jobs.Values)
        {
            index = index.Job(null, job, null);
        }

        return index;
    }

    /// <summary>The index after <paramref name="before"/> became <paramref name="after"/>; only <paramref name="changedCopy"/> of its copies changed, when given.</summary>
    internal FarmIndex Job(JobState? before, JobState after, int? changedCopy)
    {
        var index = this;
        var sameJob = before is not null && before.Status == after.Status && before.AbortInFlight == after.AbortInFlight;
        if (before is not null)
        {
            index = index with { ActiveJobs = index.ActiveJobs.Remove(before.JobId), Queue = index.Queue.Remove(QueuedJobKey.Of(before)) };
        }

        if (sameJob && changedCopy is { } only)
        {
            if (before!.CopyStates.TryGetValue(only, out var was))
            {
                index = index.Copy(before, was, -1);
            }

            if (after.CopyStates.TryGetValue(only, out var now))
            {
                index = index.Copy(after, now, +1);
            }
        }
        else if (!sameJob || !ReferenceEquals(before!.CopyStates, after.CopyStates))
        {
            foreach (var copy in before?.CopyStates.Values ?? [])
            {
                index = index.Copy(before!, copy, -1);
            }

            foreach (var copy in after.CopyStates.Values)
            {
                index = index.Copy(after, copy, +1);
            }
        }

        var active = after.Status is JobStatus.Running or JobStatus.Held;
        var queued = after.Status == JobStatus.Running && index.Tallies.GetValueOrDefault(after.JobId).Pending > 0;
        return index with
        {
            ActiveJobs = active ? index.ActiveJobs.Add(after.JobId) : index.ActiveJobs,
            Queue = queued ? index.Queue.Add(QueuedJobKey.Of(after)) : index.Queue,
        };
    }

    internal FarmIndex Drive(DriveView drive, int sign)
    {
        var index = this with { DrivesByNode = Toggle(DrivesByNode, drive.NodeId, drive.DriveId, sign, NoIds) };
        if (drive is { Status: DriveStatus.Idle, JobId: null })
        {
            index = index with { IdleDrives = Toggle(index.IdleDrives, new IdleDriveKey(drive.Failures, drive.DriveId), sign) };
        }

        if (drive.Status == DriveStatus.Busy && drive.Phase is "Assigned" or "Accepted")
        {
            index = index with { ClaimedByTower = Count(index.ClaimedByTower, drive.TowerId, sign) };
        }

        if (drive.Status is DriveStatus.Idle or DriveStatus.Busy)
        {
            index = index with { Serviceable = index.Serviceable + sign };
        }

        if (drive is { Status: DriveStatus.Busy, JobId: { } jobId })
        {
            index = index with { BusyByJob = Count(index.BusyByJob, jobId, sign) };
        }

        if (drive.Status != DriveStatus.Maintenance && drive.FailureTimes.Count > 0)
        {
            index = index with { FailingDrives = Toggle(index.FailingDrives, drive.DriveId, sign) };
        }

        if (drive is { Status: not DriveStatus.Offline, Phase: "Assigned", JobId: not null })
        {
            index = index with { UnacceptedByNode = Toggle(index.UnacceptedByNode, drive.NodeId, drive.DriveId, sign, NoIds) };
        }

        var tower = index.DrivesByTower.GetValueOrDefault(drive.TowerId);
        tower = new TowerDriveTally(tower.Drives + sign, tower.InMaintenance + (drive.Status == DriveStatus.Maintenance ? sign : 0));
        return index with
        {
            DrivesByTower = tower.Drives == 0 ? index.DrivesByTower.Remove(drive.TowerId) : index.DrivesByTower.SetItem(drive.TowerId, tower),
        };
    }

    internal FarmIndex Node(NodeView node, int sign) =>
        node.Lost ? this with { LostNodes = Toggle(LostNodes, node.NodeId, sign) } : this;

    /// <summary>The index for the collections of the state it now describes.</summary>
    internal FarmIndex For(FarmState state) => this with { IndexedJobs = state.Jobs, IndexedDrives = state.Drives, IndexedNodes = state.Nodes };

    private FarmIndex Copy(JobState job, CopyState copy, int sign)
    {
        var key = new CopyKey(job.JobId, copy.Copy);
        var index = this;
        if (copy.Outcome is not null)
        {
            index = index with { Outcomes = Toggle(index.Outcomes, key, sign) };
        }

        if (copy is { Status: CopyStatus.Assigned, DriveId: { } driveId })
        {
            index = index with { AssignedByDrive = Toggle(index.AssignedByDrive, driveId, key, sign, NoCopies) };
        }

        if (job is { Status: JobStatus.Cancelled, AbortInFlight: true } && copy is { Status: CopyStatus.Assigned, Outcome: null })
        {
            index = copy.AbortRequested
                ? index with { AbortsRequested = Toggle(index.AbortsRequested, key, sign) }
                : index with { AbortsDue = Toggle(index.AbortsDue, key, sign) };
        }

        if (copy.Status == CopyStatus.Pending)
        {
            index = index with { PendingCopies = Toggle(index.PendingCopies, job.JobId, copy.Copy, sign, NoNumbers) };
        }

        var tally = index.Tallies.GetValueOrDefault(job.JobId);
        tally = copy.Status switch
        {
            CopyStatus.Verified => tally with { Verified = tally.Verified + sign },
            CopyStatus.Assigned => tally with { InFlight = tally.InFlight + sign },
            CopyStatus.Pending => tally with { Pending = tally.Pending + sign },
            _ => tally,
        };
        return index with { Tallies = tally == default ? index.Tallies.Remove(job.JobId) : index.Tallies.SetItem(job.JobId, tally) };
    }

    private static ImmutableSortedSet<T> Toggle<T>(ImmutableSortedSet<T> set, T item, int sign) => sign > 0 ? set.Add(item) : set.Remove(item);

    private static ImmutableDictionary<string, ImmutableSortedSet<T>> Toggle<T>(ImmutableDictionary<string, ImmutableSortedSet<T>> map, string key, T item, int sign, ImmutableSortedSet<T> none)
    {
        if (sign > 0)
        {
            var set = map.TryGetValue(key, out var existing) ? existing : none;
            return map.SetItem(key, set.Add(item));
        }

        if (!map.TryGetValue(key, out var held))
        {
            return map;
        }

        var left = held.Remove(item);
        return left.IsEmpty ? map.Remove(key) : map.SetItem(key, left);
    }

    private static ImmutableDictionary<string, int> Count(ImmutableDictionary<string, int> counts, string key, int sign)
    {
        var n = counts.GetValueOrDefault(key) + sign;
        return n == 0 ? counts.Remove(key) : counts.SetItem(key, n);
    }
}
