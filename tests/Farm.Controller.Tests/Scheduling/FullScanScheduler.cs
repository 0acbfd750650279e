using Farm.Messages.Views;
using Farm.Messages;
using Farm.Messages.Jobs;

using Farm.Controller.Scheduling;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The scheduler as it was before its index (commit f29be21): every pass scans every job's every
/// copy and every drive. Kept verbatim as the specification <see cref="Scheduler"/> must match,
/// decision for decision and in the same order (<see cref="IndexedSchedulerProperties"/>). The
/// helpers the index did not change (a copy's failure recorded, the first capable idle drive) are
/// the scheduler's own.
/// </summary>
internal static class FullScanScheduler
{
    public static IReadOnlyList<IFarmEvent> Decide(FarmState state, SchedulerOptions options, DateTimeOffset now, DateTimeOffset? leaseFloor = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var floor = leaseFloor ?? DateTimeOffset.MinValue;
        var decisions = new List<IFarmEvent>();

        // 0. A node the cluster removed is lost: what it was burning is re-queued on fresh media
        //    (its discs, if it ever reports them, belong to superseded attempts).
        foreach (var node in state.Nodes.Values.Where(n => n.Lost))
        {
            var drives = state.Drives.Values.Where(d => d.NodeId == node.NodeId).Select(d => d.DriveId).ToHashSet(StringComparer.Ordinal);
            foreach (var job in state.Jobs.Values.Where(j => j.Status is JobStatus.Running or JobStatus.Held or JobStatus.Cancelled))
            {
                foreach (var copy in job.CopyStates.Values.Where(c => c is { Status: CopyStatus.Assigned, Outcome: null } && c.DriveId is not null && drives.Contains(c.DriveId)))
                {
                    var reason = new FailureReason("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, Disposition.FailDisc,
                        $"node {node.NodeId} left the cluster (removed as unreachable or stopped); the disc in drive {copy.DriveId} is rejected when the node reports it");
                    if (Scheduler.RecordFailure(decisions, job, copy, reason, null, options, now))
                    {
                        break;
                    }
                }
            }
        }

        if (decisions.Count > 0)
        {
            return decisions;
        }

        // 1. Record what drives reported: a disc in an output bin counts; a failed attempt is a
        //    rejected disc and its copy goes back to the queue (or the job fails when the copy
        //    has used up its attempts; a cancelled job re-queues nothing).
        foreach (var job in state.Jobs.Values.Where(j => j.Status is JobStatus.Running or JobStatus.Held or JobStatus.Cancelled))
        {
            foreach (var copy in job.CopyStates.Values.Where(c => c.Outcome is not null))
            {
                var outcome = copy.Outcome!;
                if (outcome.Verified)
                {
                    decisions.Add(new CopyVerified(job.JobId, copy.Copy, copy.Attempt, copy.DriveId ?? "", outcome.Sha256 ?? "", outcome.DiscId ?? ""));
                    continue;
                }

                if (Scheduler.RecordFailure(decisions, job, copy, outcome.Failure!, outcome.DiscId, options, now))
                {
                    break;
                }
            }

            // A cancelled job with abort: every burn in flight is asked to stop (once).
            if (job is { Status: JobStatus.Cancelled, AbortInFlight: true })
            {
                foreach (var copy in job.CopyStates.Values.Where(c => c is { Status: CopyStatus.Assigned, Outcome: null, AbortRequested: false }))
                {
                    var nodeId = copy.DriveId is not null && state.Drives.TryGetValue(copy.DriveId, out var drive) ? drive.NodeId : "";
                    decisions.Add(new CopyAbortRequested(job.JobId, copy.Copy, copy.Attempt, nodeId, copy.DriveId ?? "", $"job {job.JobId} was cancelled with abort"));
                }
            }
        }

        // 1b. A drive failing too often in its window leaves service.
        foreach (var drive in state.Drives.Values.Where(d => d.Status != DriveStatus.Maintenance))
        {
            var recent = drive.FailureTimes.Count(t => t > now - options.FailureWindow);
            if (recent >= options.MaintenanceAfterFailures)
            {
                decisions.Add(new DriveMaintenanceOrdered(drive.DriveId, $"{recent} failed burns within {options.FailureWindow.TotalMinutes:0.#} min (limit {options.MaintenanceAfterFailures}); last: {drive.LastError}", now));
            }
        }

        if (decisions.Count > 0)
        {
            // Outcomes change what is pending; decide assignments on the next pass, from the new state.
            return decisions;
        }

        // 2. A job with exactly its number of verified discs is complete, once no drive still holds
        //    a disc of it (a copy counts when the controller accepts its drive's claim, before the
        //    arm has put the disc in the output bin; the drive reports idle after it has).
        foreach (var job in state.Jobs.Values.Where(j => j.Status is JobStatus.Running or JobStatus.Held && j.Verified >= j.Discs
            && !state.Drives.Values.Any(d => d.Status == DriveStatus.Busy && d.JobId == j.JobId)))
        {
            decisions.Add(new JobCompleted(job.JobId, job.Verified, job.Rejected, now));
        }

        // 3. A job no drive of the farm can burn fails, with the reason.
        foreach (var job in state.Jobs.Values.Where(j => j.Status == JobStatus.Running && j.Verified < j.Discs && j.InFlight == 0))
        {
            if (Max(job.SubmittedAt, floor) + options.NoCapableDriveGrace <= now
                && (NoCapableDrive(state, job.MediaType) ?? (job.Label is null ? null : LabelPrinters.Problem(state, job.MediaType))) is { } why)
            {
                decisions.Add(new JobFailed(job.JobId, why, job.Verified, job.Rejected, now));
            }
        }

        // 4. Assign pending copies to idle drives of live nodes: jobs by priority (high first),
        //    then due time (earliest first; none last), then age; a drive only if its tower still
        //    has blanks of the job's media that no earlier assignment already claimed (and, for a
        //    labelled job, can print); a copy
        //    avoids the drive that last failed it while another drive not in maintenance exists.
        // Sorted once (fewest failures, then id): each copy takes the first drive that can burn it,
        // instead of sorting every idle drive again per copy, which made a job submitted to
        // 10,000 idle drives take 4.5 s in one decision (docs/SCALING.md, "Farm size").
        var idle = state.Drives.Values.Where(d => d.Status == DriveStatus.Idle && d.JobId is null && Scheduler.NodeAlive(state, d.NodeId))
            .OrderBy(d => d.Failures)
            .ThenBy(d => d.DriveId, StringComparer.Ordinal)
            .ToList();
        var claimed = state.Drives.Values
            .Where(d => d.Status == DriveStatus.Busy && d.Phase is "Assigned" or "Accepted")
            .GroupBy(d => d.TowerId)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var serviceable = state.Drives.Values.Count(d => d.Status is DriveStatus.Idle or DriveStatus.Busy);
        var ended = decisions.Select(d => d switch { JobCompleted c => c.JobId, JobFailed f => f.JobId, _ => null }).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var pending = state.Jobs.Values
            .Where(j => j.Status == JobStatus.Running && !ended.Contains(j.JobId))
            .OrderByDescending(j => j.Priority)
            .ThenBy(j => j.DueAt ?? DateTimeOffset.MaxValue)
            .ThenBy(j => j.SubmittedAt)
            .ThenBy(j => j.JobId, StringComparer.Ordinal)
            .SelectMany(j => j.CopyStates.Values.Where(c => c.Status == CopyStatus.Pending).Select(c => (Job: j, Copy: c)));

        foreach (var (job, copy) in pending)
        {
            if (idle.Count == 0)
            {
                break;
            }

            var at = Scheduler.FirstCapable(state, claimed, idle, job, copy.AvoidDriveId);
            if (at < 0)
            {
                continue;
            }

            var drive = idle[at];

            if (drive.DriveId == copy.AvoidDriveId && serviceable > 1)
            {
                // Another drive will be free soon; this one just ruined a disc of this copy.
                continue;
            }

            idle.RemoveAt(at);
            claimed[drive.TowerId] = claimed.GetValueOrDefault(drive.TowerId) + 1;
            decisions.Add(Scheduler.AssignmentOf(job, copy, copy.Attempt + 1, drive));
        }

        return decisions;
    }

    /// <summary>
    /// The assignments <paramref name="nodeId"/>'s drives have not accepted (nor refused) yet: what
    /// the controller sends again until they do. A paused drive or one in maintenance is sent its
    /// assignment too: it refuses it, and the copy is queued again (FarmProjection.OutOfService).
    /// </summary>
    public static IEnumerable<CopyAssigned> Unaccepted(FarmState state, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var drive in state.Drives.Values.Where(d => d.NodeId == nodeId && d is { Status: not DriveStatus.Offline, Phase: FarmProjection.AssignedPhase, JobId: not null }))
        {
            if (state.Jobs.TryGetValue(drive.JobId!, out var job)
                && job.CopyStates.TryGetValue(drive.Copy, out var copy)
                && copy is { Status: CopyStatus.Assigned } && copy.Attempt == drive.Attempt)
            {
                yield return Scheduler.AssignmentOf(job, copy, copy.Attempt, drive);
            }
        }
    }

    /// <summary>The aborts to send a node again, as FarmControllerActor.Resend scanned for them before the index.</summary>
    public static IEnumerable<CopyAbortRequested> AbortsInFlight(FarmState state, string nodeId)
    {
        foreach (var job in state.Jobs.Values.Where(j => j is { Status: JobStatus.Cancelled, AbortInFlight: true }))
        {
            foreach (var copy in job.CopyStates.Values.Where(c => c is { Status: CopyStatus.Assigned, Outcome: null, AbortRequested: true }))
            {
                if (copy.DriveId is { } driveId && state.Drives.TryGetValue(driveId, out var drive) && drive.NodeId == nodeId)
                {
                    yield return new CopyAbortRequested(job.JobId, copy.Copy, copy.Attempt, nodeId, driveId, $"job {job.JobId} was cancelled with abort");
                }
            }
        }
    }

    /// <summary>Why no drive of the farm can burn this media, or null if one can (busy or idle, any node).</summary>
    private static string? NoCapableDrive(FarmState state, string mediaType)
    {
        if (state.Towers.IsEmpty)
        {
            return null; // nothing has reported yet: the farm may be starting
        }

        var towers = state.Towers.Values.Where(t => string.Equals(t.InputMediaType, mediaType, StringComparison.OrdinalIgnoreCase)).Select(t => t.TowerId).ToHashSet(StringComparer.Ordinal);
        if (towers.Count == 0)
        {
            return $"no tower holds {mediaType} media (towers hold: {string.Join(", ", state.Towers.Values.Select(t => $"{t.TowerId} {t.InputMediaType}"))})";
        }

        var drives = state.Drives.Values.Where(d => towers.Contains(d.TowerId)).ToList();
        if (drives.Count == 0)
        {
            return null; // the tower's drives have not reported yet
        }

        return drives.All(d => d.Status == DriveStatus.Maintenance)
            ? $"every drive of the towers holding {mediaType} ({string.Join(", ", towers)}) is in maintenance"
            : null;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
