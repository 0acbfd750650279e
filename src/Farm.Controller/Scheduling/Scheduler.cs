using System.Collections.Immutable;
using Farm.Messages.Views;
using Farm.Messages;
using Farm.Messages.Jobs;

namespace Farm.Controller.Scheduling;

/// <summary>
/// The controller's decisions as one pure function of the farm's state: given what the journal
/// says, which events should the controller append next? Pure, so a restarted or standby
/// controller that rebuilt the same state takes the same decisions, and tests need no farm.
/// </summary>
public static class Scheduler
{
    /// <param name="state">The farm as the journal tells it.</param>
    /// <param name="options">The policy.</param>
    /// <param name="now">The controller's clock.</param>
    /// <param name="leaseFloor">
    /// No job fails for want of drives counting from before this instant: when this controller
    /// incarnation started deciding, so the nodes have time to register with it.
    /// </param>
    public static IReadOnlyList<IFarmEvent> Decide(FarmState state, SchedulerOptions options, DateTimeOffset now, DateTimeOffset? leaseFloor = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var floor = leaseFloor ?? DateTimeOffset.MinValue;
        var decisions = new List<IFarmEvent>();

        // Every step visits what the state's index holds (FarmIndex: copies with an outcome, pending
        // copies per job, idle drives...), not every job's every copy and every drive: a pass cost
        // 12-21 ms at 10,000 drives and 40,000 copies when it scanned (docs/SCALING.md, "Farm size").
        // The decisions and their order are the full scan's (IndexedSchedulerProperties).
        var index = state.Index;

        // 0. A node the cluster removed is lost: what it was burning is re-queued on fresh media
        //    (its discs, if it ever reports them, belong to superseded attempts).
        foreach (var nodeId in index.LostNodes)
        {
            var drives = index.DrivesByNode.GetValueOrDefault(nodeId, []);
            var onNode = drives.SelectMany(d => index.AssignedByDrive.GetValueOrDefault(d, [])).Order(CopyKey.Order).ToList();
            string? failedJob = null;
            foreach (var key in onNode)
            {
                if (key.JobId == failedJob || !state.Jobs.TryGetValue(key.JobId, out var job) || job.Status is not (JobStatus.Running or JobStatus.Held or JobStatus.Cancelled)
                    || !job.CopyStates.TryGetValue(key.Copy, out var copy) || copy is not { Status: CopyStatus.Assigned, Outcome: null, DriveId: { } driveId } || !drives.Contains(driveId))
                {
                    continue;
                }

                var reason = new FailureReason("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, Disposition.FailDisc,
                    $"node {nodeId} left the cluster (removed as unreachable or stopped); the disc in drive {copy.DriveId} is rejected when the node reports it");
                if (RecordFailure(decisions, job, copy, reason, null, options, now))
                {
                    failedJob = job.JobId;
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
        foreach (var jobId in index.Outcomes.Select(k => k.JobId).Concat(index.AbortsDue.Select(k => k.JobId)).ToImmutableSortedSet(StringComparer.Ordinal))
        {
            var job = state.Jobs[jobId];
            if (job.Status is not (JobStatus.Running or JobStatus.Held or JobStatus.Cancelled))
            {
                continue;
            }

            foreach (var key in CopiesOf(index.Outcomes, jobId))
            {
                var copy = job.CopyStates[key.Copy];
                var outcome = copy.Outcome!;
                if (outcome.Verified)
                {
                    decisions.Add(new CopyVerified(job.JobId, copy.Copy, copy.Attempt, copy.DriveId ?? "", outcome.Sha256 ?? "", outcome.DiscId ?? ""));
                    continue;
                }

                if (RecordFailure(decisions, job, copy, outcome.Failure!, outcome.DiscId, options, now))
                {
                    break;
                }
            }

            // A cancelled job with abort: every burn in flight is asked to stop (once).
            foreach (var key in CopiesOf(index.AbortsDue, jobId))
            {
                var copy = job.CopyStates[key.Copy];
                var nodeId = copy.DriveId is not null && state.Drives.TryGetValue(copy.DriveId, out var drive) ? drive.NodeId : "";
                decisions.Add(new CopyAbortRequested(job.JobId, copy.Copy, copy.Attempt, nodeId, copy.DriveId ?? "", $"job {job.JobId} was cancelled with abort"));
            }
        }

        // 1b. A drive failing too often in its window leaves service (a drive with no failure on
        //     record cannot, unless the limit is below one: options not validated).
        var failing = options.MaintenanceAfterFailures > 0 ? index.FailingDrives.Select(id => state.Drives[id]) : state.Drives.Values.Where(d => d.Status != DriveStatus.Maintenance);
        foreach (var drive in failing)
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
        var active = index.ActiveJobs.Select(id => state.Jobs[id]).ToList();
        foreach (var job in active.Where(j => index.Tallies.GetValueOrDefault(j.JobId).Verified >= j.Discs && index.BusyByJob.GetValueOrDefault(j.JobId) == 0))
        {
            decisions.Add(new JobCompleted(job.JobId, job.Verified, job.Rejected, now));
        }

        // 3. A job no drive of the farm can burn fails, with the reason.
        foreach (var job in active.Where(j => j.Status == JobStatus.Running && index.Tallies.GetValueOrDefault(j.JobId) is var tally && tally.Verified < j.Discs && tally.InFlight == 0))
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
        // The index keeps the idle drives sorted (fewest failures, then id): each copy takes the
        // first drive that can burn it, instead of sorting every idle drive again per copy, which
        // made a job submitted to 10,000 idle drives take 4.5 s in one decision (docs/SCALING.md).
        var ended = decisions.Select(d => d switch { JobCompleted c => c.JobId, JobFailed f => f.JobId, _ => null }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var pending = index.Queue
            .Where(q => !ended.Contains(q.JobId))
            .Select(q => state.Jobs[q.JobId])
            .SelectMany(j => index.PendingCopies[j.JobId].Select(c => (Job: j, Copy: j.CopyStates[c])));
        if (index.IdleDrives.IsEmpty || !pending.Any())
        {
            return decisions;
        }

        var idle = index.IdleDrives.Select(k => state.Drives[k.DriveId]).Where(d => NodeAlive(state, d.NodeId)).ToList();
        var claimed = new Dictionary<string, int>(index.ClaimedByTower, StringComparer.Ordinal);
        var serviceable = index.Serviceable;

        // A job none of the idle drives can take (no blanks of its media left in their towers, or no
        // printer for its label) stays so for the rest of the pass: the idle drives only go and the
        // claimed blanks only grow. Its other copies are skipped, not each checked against every
        // idle drive (30,000 pending copies x 10,000 idle drives of towers out of blanks, per pass).
        var noDriveFor = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (job, copy) in pending)
        {
            if (idle.Count == 0)
            {
                break;
            }

            if (noDriveFor.Contains(job.JobId))
            {
                continue;
            }

            var at = FirstCapable(state, claimed, idle, job, copy.AvoidDriveId);
            if (at < 0)
            {
                noDriveFor.Add(job.JobId);
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
            decisions.Add(AssignmentOf(job, copy, copy.Attempt + 1, drive));
        }

        return decisions;
    }

    /// <summary>The keys of <paramref name="jobId"/>'s copies in <paramref name="copies"/>, in copy order.</summary>
    private static IEnumerable<CopyKey> CopiesOf(ImmutableSortedSet<CopyKey> copies, string jobId)
    {
        var at = copies.IndexOf(new CopyKey(jobId, int.MinValue));
        for (var i = at < 0 ? ~at : at; i < copies.Count && copies[i].JobId == jobId; i++)
        {
            yield return copies[i];
        }
    }

    /// <summary>
    /// Where in <paramref name="idle"/> (sorted by failures, then id) the drive for a copy of
    /// <paramref name="job"/> is: the first whose tower has blanks left for it (and can print its
    /// label), the drive to avoid only when no other can; -1 when none can.
    /// </summary>
    internal static int FirstCapable(FarmState state, Dictionary<string, int> claimed, List<DriveView> idle, JobState job, string? avoidDriveId)
    {
        var avoided = -1;
        for (var i = 0; i < idle.Count; i++)
        {
            var d = idle[i];
            if (BlanksLeft(state, claimed, d.TowerId, job.MediaType) <= 0 || !LabelPrinters.CanTake(state, job, d))
            {
                continue;
            }

            if (d.DriveId != avoidDriveId)
            {
                return i;
            }

            avoided = i;
        }

        return avoided;
    }

    /// <summary>The order that gives <paramref name="copy"/>'s attempt to <paramref name="drive"/> (also what is sent again until the drive accepts it).</summary>
    public static CopyAssigned AssignmentOf(JobState job, CopyState copy, int attempt, DriveView drive)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(copy);
        ArgumentNullException.ThrowIfNull(drive);
        var image = job.ImageOf(copy.Copy);
        return new CopyAssigned(job.JobId, copy.Copy, attempt, drive.NodeId, drive.DriveId, image.Path, image.Blocks, job.Verify, job.MediaType,
            AllowResume: job.AllowResume,
            Label: LabelRenderer.Render(job.JobId, job.Label, copy.Copy, job.DiscsPerSet, job.Copies),
            AudioTracks: job.Source.Kind == SourceKind.Audio ? job.Source.AudioTracks : null,
            ImageSha256: job.Source.Kind is SourceKind.Audio or SourceKind.Append ? null : image.Sha256,
            AudioText: job.Source.Kind == SourceKind.Audio ? job.Source.AudioText : null,
            AppendFolder: job.Source.Kind == SourceKind.Append ? job.Source.Path : null,
            CloseDisc: job.Source.Kind == SourceKind.Append && job.Source.CloseDisc);
    }

    /// <summary>
    /// The assignments <paramref name="nodeId"/>'s drives have not accepted (nor refused) yet: what
    /// the controller sends again until they do. A paused drive or one in maintenance is sent its
    /// assignment too: it refuses it, and the copy is queued again (FarmProjection.OutOfService).
    /// </summary>
    public static IEnumerable<CopyAssigned> Unaccepted(FarmState state, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var drive in state.Index.UnacceptedByNode.GetValueOrDefault(nodeId, []).Select(id => state.Drives[id]))
        {
            if (state.Jobs.TryGetValue(drive.JobId!, out var job)
                && job.CopyStates.TryGetValue(drive.Copy, out var copy)
                && copy is { Status: CopyStatus.Assigned } && copy.Attempt == drive.Attempt)
            {
                yield return AssignmentOf(job, copy, copy.Attempt, drive);
            }
        }
    }

    /// <summary>
    /// The aborts sent to <paramref name="nodeId"/>'s drives that have not ended yet (a copy of a job
    /// cancelled with abort, in flight with no outcome, its abort requested): what the controller sends again.
    /// </summary>
    public static IEnumerable<CopyAbortRequested> AbortsInFlight(FarmState state, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var key in state.Index.AbortsRequested)
        {
            var copy = state.Jobs[key.JobId].CopyStates[key.Copy];
            if (copy.DriveId is { } driveId && state.Drives.TryGetValue(driveId, out var drive) && drive.NodeId == nodeId)
            {
                yield return new CopyAbortRequested(key.JobId, copy.Copy, copy.Attempt, nodeId, driveId, $"job {key.JobId} was cancelled with abort");
            }
        }
    }

    /// <summary>Whether the node of a drive is a member the controller may give work (registered and not removed).</summary>
    public static bool NodeAlive(FarmState state, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Nodes.TryGetValue(nodeId, out var node) && !node.Lost;
    }

    /// <summary>Adds CopyFailed and then CopyRequeued, or JobFailed when the copy used up its attempts; true if the job failed.</summary>
    internal static bool RecordFailure(List<IFarmEvent> decisions, JobState job, CopyState copy, FailureReason reason, string? discId, SchedulerOptions options, DateTimeOffset now)
    {
        decisions.Add(new CopyFailed(job.JobId, copy.Copy, copy.Attempt, copy.DriveId ?? "", reason, discId));
        if (job.Status == JobStatus.Cancelled)
        {
            return false;
        }

        var maxAttempts = job.MaxAttemptsPerCopy ?? options.MaxAttemptsPerCopy;
        if (copy.Attempt >= maxAttempts)
        {
            decisions.Add(new JobFailed(job.JobId, $"copy {copy.Copy} failed {copy.Attempt} times (limit {maxAttempts}); last: {reason}", job.Verified, job.Rejected + decisions.OfType<CopyFailed>().Count(f => f.JobId == job.JobId), now));
            return true;
        }

        decisions.Add(new CopyRequeued(job.JobId, copy.Copy, copy.Attempt + 1, copy.DriveId ?? ""));
        return false;
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

        var drives = towers.Select(t => state.Index.DrivesByTower.GetValueOrDefault(t)).ToList();
        if (drives.Sum(t => t.Drives) == 0)
        {
            return null; // the tower's drives have not reported yet
        }

        return drives.All(t => t.InMaintenance == t.Drives)
            ? $"every drive of the towers holding {mediaType} ({string.Join(", ", towers)}) is in maintenance"
            : null;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static int BlanksLeft(FarmState state, Dictionary<string, int> claimed, string towerId, string mediaType) =>
        state.Towers.TryGetValue(towerId, out var tower) && string.Equals(tower.InputMediaType, mediaType, StringComparison.OrdinalIgnoreCase)
            ? tower.InputBlanks - claimed.GetValueOrDefault(towerId)
            : 0;
}
