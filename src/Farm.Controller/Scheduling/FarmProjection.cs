using Farm.Messages.Views;
using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;

namespace Farm.Controller.Scheduling;

/// <summary>
/// The one pure function that turns events into the controller's view of the farm. The same
/// function runs on replay after a restart and live while tailing, so both see the same farm.
/// </summary>
public static class FarmProjection
{
    /// <summary>Failure times kept per drive: enough for any sensible failure window.</summary>
    private const int FailureTimesKept = 32;

    /// <param name="state">The farm before the event.</param>
    /// <param name="farmEvent">The event.</param>
    /// <param name="ordering">Its global ordering in the journal (0 in tests that do not care).</param>
    /// <param name="stored">When the controller took it (failure windows count in it); null when unknown.</param>
    public static FarmState Apply(FarmState state, IFarmEvent farmEvent, long ordering = 0, DateTimeOffset? stored = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = farmEvent switch
        {
            JobSubmitted e => state.Jobs.ContainsKey(e.JobId) ? state : state.WithJob(NewJob(e)),
            JobHeld e => UpdateJob(state, e.JobId, j => j.Status == JobStatus.Running ? j with { Status = JobStatus.Held, Why = e.Reason } : j),
            JobResumed e => UpdateJob(state, e.JobId, j => j.Status == JobStatus.Held ? j with { Status = JobStatus.Running, Why = null } : j),
            JobCancelled e => UpdateJob(state, e.JobId, j => j.Status is JobStatus.Completed or JobStatus.Failed or JobStatus.Cancelled ? j : j with
            {
                Status = JobStatus.Cancelled,
                AbortInFlight = e.AbortInFlight,
                Why = e.Reason,
                CopyStates = Abandon(j.CopyStates),
            }),
            CopyAssigned e => UpdateCopy(state, e.JobId, e.Copy, c => c with { Status = CopyStatus.Assigned, Attempt = e.Attempt, DriveId = e.DriveId, Phase = "Assigned", LastWrittenLba = -1, TotalBlocks = e.ImageBlocks, AbortRequested = false })
                is var assigned
                ? UpdateDrive(assigned, e.DriveId, d => d with { Status = DriveStatus.Busy, Phase = "Assigned", JobId = e.JobId, Copy = e.Copy, Attempt = e.Attempt, LastWrittenLba = -1, TotalBlocks = e.ImageBlocks, BytesPerSecond = 0 })
                : state,
            CopyVerified e => UpdateCopy(state, e.JobId, e.Copy, c => c with { Status = CopyStatus.Verified, Sha256 = e.Sha256, Outcome = null, Phase = "Verified" }),
            CopyFailed e => UpdateJob(state, e.JobId, j => j with { Rejected = j.Rejected + 1, Failures = j.Failures.Add(e.Reason) }) is var failed && failed.Jobs.TryGetValue(e.JobId, out var failedJob) && failedJob.Status is JobStatus.Cancelled
                ? UpdateCopy(failed, e.JobId, e.Copy, c => c.Attempt == e.Attempt && c.Status == CopyStatus.Assigned ? c with { Status = CopyStatus.Abandoned, Outcome = null, Phase = "Failed" } : c)
                : failed,
            CopyRequeued e => UpdateCopy(state, e.JobId, e.Copy, c => c with { Status = CopyStatus.Pending, Attempt = e.NextAttempt - 1, DriveId = null, AvoidDriveId = e.AvoidDriveId, Outcome = null, Phase = null, LastWrittenLba = -1 }),
            CopyAbortRequested e => UpdateCopy(state, e.JobId, e.Copy, c => c.Attempt == e.Attempt ? c with { AbortRequested = true } : c),
            JobCompleted e => UpdateJob(state, e.JobId, j => j with { Status = JobStatus.Completed }),
            JobFailed e => UpdateJob(state, e.JobId, j => j with { Status = JobStatus.Failed, Why = e.Why, CopyStates = Abandon(j.CopyStates) }),
            DriveMaintenanceOrdered e => OutOfService(state, e.DriveId, DriveStatus.Maintenance, "Maintenance", e.Why),
            NodeLost e => NodeGone(state, e),
            NodeJoined e => Joined(state, e),
            NodeReported e => state.AppliedReports.TryGetValue(e.SourceId, out var applied) && e.SequenceNr <= applied
                ? state
                : Apply(state with { AppliedReports = state.AppliedReports.SetItem(e.SourceId, e.SequenceNr) }, e.Event, ordering, e.ReceivedAt),

            // A drive that came online is not idle yet: it may first report a burn it found
            // interrupted; it takes work once it reports DriveIdle (reports arrive in order).
            DriveCameOnline e => state.WithDrive(state.Drives.TryGetValue(e.DriveId, out var known)
                ? known with { NodeId = e.NodeId, TowerId = e.TowerId, Product = $"{e.Vendor} {e.Product}" }
                : new DriveView(e.DriveId, e.NodeId, e.TowerId, $"{e.Vendor} {e.Product}", DriveStatus.Offline, "Starting", null, 0, 0, -1, 0, 0, null, 0)),
            BurnAssigned e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Accepted" }),
            DiscLoaded e => Progress(UpdateDrive(state, e.DriveId, d => d with { Phase = "Loaded" }), e.DriveId, e.JobId, e.Copy, "Loaded", null, null),
            BurnStarted e => Progress(UpdateDrive(state, e.DriveId, d => d with { Phase = "Writing", LastWrittenLba = e.StartLba - 1, TotalBlocks = e.TotalBlocks }), e.DriveId, e.JobId, e.Copy, "Writing", e.StartLba - 1, e.TotalBlocks),
            SectorsWritten e => Progress(UpdateDrive(state, e.DriveId, d => d with { Phase = "Writing", LastWrittenLba = e.LastWrittenLba, TotalBlocks = e.TotalBlocks, BytesPerSecond = e.BytesPerSecond }), e.DriveId, e.JobId, e.Copy, "Writing", e.LastWrittenLba, e.TotalBlocks),
            BurnClosing e => Progress(UpdateDrive(state, e.DriveId, d => d with { Phase = "Closing", LastWrittenLba = e.LastWrittenLba }), e.DriveId, e.JobId, e.Copy, "Closing", e.LastWrittenLba, null),
            BurnFinished e => Progress(UpdateDrive(state, e.DriveId, d => d with { Phase = "Verifying", LastWrittenLba = e.Blocks - 1 }), e.DriveId, e.JobId, e.Copy, "Verifying", e.Blocks - 1, null),
            DiscVerified e => Progress(UpdateDrive(state, e.DriveId, d => d with { Phase = "Verified" }), e.DriveId, e.JobId, e.Copy, "Unloading", null, null),
            BurnFailed e => RecordOutcome(
                UpdateDrive(state, e.DriveId, d => d with
                {
                    Phase = "Failed",
                    LastError = e.Reason.ToString(),
                    Failures = e.CountsAgainstDrive() ? d.Failures + 1 : d.Failures,
                    FailureTimes = !e.CountsAgainstDrive() || stored is null ? d.FailureTimes : Keep(d.FailureTimes.Add(stored.Value)),
                }),
                e.JobId, e.Copy, e.Attempt, new AttemptOutcome(false, null, null, e.Reason)),
            DiscInterrupted e => RecordOutcome(
                UpdateDrive(state, e.DriveId, d => d with { Phase = "Interrupted", LastError = Interrupted(e).Message }),
                e.JobId, e.Copy, e.Attempt, new AttemptOutcome(false, null, e.DiscId, Interrupted(e))),
            DiscUnloaded e => e.Bin == Bins.Output
                ? RecordOutcome(UpdateDrive(state, e.DriveId, d => d with { Phase = "Unloaded" }), e.JobId, e.Copy, e.Attempt, new AttemptOutcome(true, e.Sha256, e.DiscId, null))
                : UpdateDrive(state, e.DriveId, d => d with { Phase = "Rejected" }),
            // A disc the controller did not count (its answer, or the drive's patience running out):
            // the attempt failed, if the ledger still holds it open (a refusal is for an attempt it closed).
            DiscCountAnswered { Counted: false } e => RecordOutcome(state, e.JobId, e.Copy, e.Attempt, new AttemptOutcome(false, null, e.DiscId,
                new FailureReason("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, Disposition.FailDisc, $"verified disc {e.DiscId} was not counted: {e.Why}"))),
            DriveIdle e => BackInService(state, e.DriveId, fromMaintenance: false),
            DriveEnteredMaintenance e => OutOfService(state, e.DriveId, DriveStatus.Maintenance, "Maintenance", e.Why),
            DriveLeftMaintenance e => BackInService(state, e.DriveId, fromMaintenance: true),
            DrivePaused e when state.Drives.TryGetValue(e.DriveId, out var paused) && paused.Status == DriveStatus.Maintenance => state,
            DrivePaused e => OutOfService(state, e.DriveId, DriveStatus.Paused, "Paused", e.Why),
            DriveAlertRaised e => UpdateDrive(state, e.DriveId, d => d with { LastError = e.Message }),

            TowerBinsReported e => state with
            {
                Towers = state.Towers.SetItem(e.TowerId, Reported(state, e)),
            },
            TowerAlertRaised e => state.Towers.TryGetValue(e.TowerId, out var alerted)
                ? state with { Towers = state.Towers.SetItem(e.TowerId, alerted with { Alert = e.Message }) }
                : state,
            TowerAlertCleared e => state.Towers.TryGetValue(e.TowerId, out var cleared)
                ? state with { Towers = state.Towers.SetItem(e.TowerId, cleared with { Alert = null }) }
                : state,
            _ => state,
        };
        next = AlertProjection.Apply(next, farmEvent, stored);
        return ordering > next.LastOrdering ? next with { LastOrdering = ordering } : next;
    }

    /// <summary>A tower's bins and printer as it reported them; its input-empty alert stays while the bin is empty.</summary>
    private static TowerView Reported(FarmState state, TowerBinsReported e) =>
        new(e.TowerId, e.InputBlanks, e.InputMediaType, e.Output, e.Reject, state.Towers.TryGetValue(e.TowerId, out var tower) && e.InputBlanks == 0 ? tower.Alert : null)
        {
            CanPrintLabels = e.CanPrintLabels,
        };

    private static JobState NewJob(JobSubmitted e)
    {
        var source = e.Source ?? new JobSource(SourceKind.Image, e.ImagePath);
        var perSet = source.Kind == SourceKind.CollatedSet && source.SetImages is { Count: > 0 } images ? images.Count : 1;
        return new JobState(
            e.JobId, e.ImagePath, e.ImageBlocks, e.Copies, e.Verify, e.MediaType, e.Priority, e.SubmittedAt, JobStatus.Running,
            Enumerable.Range(1, e.Copies * perSet).ToImmutableSortedDictionary(c => c, c => new CopyState(c, CopyStatus.Pending, 0, null, null, null)),
            0, [], null)
        {
            Source = source,
            Label = e.Label,
            ImageSha256 = e.ImageSha256,
            DueAt = e.DueAt,
            MaxAttemptsPerCopy = e.MaxAttemptsPerCopy,
            AllowResume = e.AllowResume,
        };
    }

    private static ImmutableSortedDictionary<int, CopyState> Abandon(ImmutableSortedDictionary<int, CopyState> copies) =>
        copies.SetItems(copies.Values.Where(c => c.Status == CopyStatus.Pending).Select(c => KeyValuePair.Create(c.Copy, c with { Status = CopyStatus.Abandoned })));

    private static ImmutableList<DateTimeOffset> Keep(ImmutableList<DateTimeOffset> times) =>
        times.Count > FailureTimesKept ? times.RemoveRange(0, times.Count - FailureTimesKept) : times;

    private static FarmState NodeGone(FarmState state, NodeLost e)
    {
        state = state.WithNode(state.Nodes.TryGetValue(e.NodeId, out var node) ? node with { Lost = true } : new NodeView(e.NodeId, e.LastSeenAt, true));
        foreach (var driveId in state.Index.DrivesByNode.GetValueOrDefault(e.NodeId, []))
        {
            if (state.Drives[driveId] is { Status: not DriveStatus.Maintenance } d)
            {
                state = state.WithDrive(d with { Status = DriveStatus.Offline, Phase = "Node lost", JobId = null, BytesPerSecond = 0 });
            }
        }

        return state;
    }

    /// <summary>
    /// A node registered. A node coming back after it was declared lost brings its drives back as
    /// it reports them: an idle drive may be given work again; a drive still finishing a
    /// superseded burn stays offline until it reports idle.
    /// </summary>
    private static FarmState Joined(FarmState state, NodeJoined e)
    {
        state = state.WithNode(new NodeView(e.NodeId, e.JoinedAt, false) { Address = e.Address });
        foreach (var beat in e.Drives ?? [])
        {
            if (state.Drives.TryGetValue(beat.DriveId, out var drive) && drive.NodeId == e.NodeId && drive.Status == DriveStatus.Offline)
            {
                state = beat.State switch
                {
                    "Idle" => state.WithDrive(drive with { Status = DriveStatus.Idle, Phase = "Idle", JobId = null }),
                    "Maintenance" => state.WithDrive(drive with { Status = DriveStatus.Maintenance, Phase = "Maintenance" }),
                    _ => state,
                };
            }
        }

        return state;
    }

    /// <summary>
    /// The drive says it is idle (<paramref name="fromMaintenance"/>: back from maintenance). A drive
    /// is made idle only with no undecided attempt on it, or it would be given a second copy while
    /// the first is undecided (found by the chaos test, docs/RELIABILITY.md §4). An assignment it
    /// has not accepted yet (it restarted, paused or was in maintenance before the assignment
    /// reached it) stays its: the drive is busy with it and the controller sends it again. An
    /// attempt it accepted and reported no outcome of cannot end so from a real node (each ends
    /// with a failure, an interruption or a binned disc first): it is failed here, so the copy is
    /// queued again rather than held by a drive that took other work.
    /// </summary>
    private static FarmState BackInService(FarmState state, string driveId, bool fromMaintenance)
    {
        if (!state.Drives.TryGetValue(driveId, out var drive))
        {
            return state;
        }

        var stays = drive.Status == DriveStatus.Maintenance && !fromMaintenance;
        if (UndecidedAttemptOf(state, drive) is { } held)
        {
            if (drive.Phase == AssignedPhase)
            {
                return UpdateDrive(state, driveId, d => d with { Status = stays ? DriveStatus.Maintenance : DriveStatus.Busy });
            }

            state = RecordOutcome(state, drive.JobId!, held.Copy, held.Attempt, new AttemptOutcome(false, null, null, new FailureReason(
                "E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, Disposition.FailDisc,
                $"drive {driveId} reported itself idle with no outcome of attempt {held.Attempt} of copy {held.Copy}, which it had accepted; its disc, if any, does not count")));
        }

        return UpdateDrive(state, driveId, d => stays
            ? d with { JobId = null, BytesPerSecond = 0 }
            : d with { Status = DriveStatus.Idle, Phase = "Idle", JobId = null, BytesPerSecond = 0 });
    }

    /// <summary>
    /// The drive paused or went to maintenance. An undecided attempt stays visible on it: one it has
    /// not accepted yet (phase "Assigned") is sent again, and the drive refuses it while out of
    /// service (a failed attempt, the copy queued again) or takes it once back; dropping it here
    /// left the copy assigned to a drive that the next idle report made idle (docs/RELIABILITY.md §4).
    /// </summary>
    private static FarmState OutOfService(FarmState state, string driveId, DriveStatus status, string phase, string why) =>
        UpdateDrive(state, driveId, d => UndecidedAttemptOf(state, d) is not null
            ? d with { Status = status, LastError = why }
            : status == DriveStatus.Paused
                ? d with { Status = status, Phase = phase, JobId = null, BytesPerSecond = 0, LastError = why }
                : d with { Status = status, Phase = phase, LastError = why });

    /// <summary>The drive's phase from its assignment until it accepts it (BurnAssigned).</summary>
    public const string AssignedPhase = "Assigned";

    /// <summary>The attempt the drive's view holds, when the ledger still has it undecided on this drive (its job still wants discs).</summary>
    public static CopyState? UndecidedAttemptOf(FarmState state, DriveView drive)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(drive);
        return drive.JobId is { } jobId
            && state.Jobs.TryGetValue(jobId, out var job) && job.Status is JobStatus.Running or JobStatus.Held or JobStatus.Cancelled
            && job.CopyStates.TryGetValue(drive.Copy, out var copy)
            && copy is { Status: CopyStatus.Assigned, Outcome: null } && copy.Attempt == drive.Attempt && copy.DriveId == drive.DriveId
            ? copy
            : null;
    }

    /// <summary>A copy's progress as its drive reports it; only for the attempt the drive holds now.</summary>
    private static FarmState Progress(FarmState state, string driveId, string jobId, int copy, string phase, long? lba, long? total) =>
        UpdateCopy(state, jobId, copy, c => c.Status == CopyStatus.Assigned && c.DriveId == driveId
            ? c with { Phase = phase, LastWrittenLba = lba ?? c.LastWrittenLba, TotalBlocks = total ?? c.TotalBlocks }
            : c);

    /// <summary>
    /// Notes a drive's result for the copy's current attempt only: a late report about an older
    /// attempt (after a re-queue) must not count twice.
    /// </summary>
    private static FarmState RecordOutcome(FarmState state, string jobId, int copy, int attempt, AttemptOutcome outcome) =>
        UpdateCopy(state, jobId, copy, c => c.Status == CopyStatus.Assigned && c.Attempt == attempt && c.Outcome is null ? c with { Outcome = outcome } : c);

    private static FailureReason Interrupted(DiscInterrupted e) => new(
        "E_IMAPI_REQUEST_CANCELLED",
        0xC0AA0002,
        Disposition.FailDisc,
        e.LastPersistedLba < 0
            ? $"the burn was interrupted while {e.Phase} (node stopped or lost power) before the first block was written (of {e.TotalBlocks})"
            : $"the burn was interrupted while {e.Phase} (node stopped or lost power) at LBA {e.LastPersistedLba} of {e.TotalBlocks}");

    private static FarmState UpdateJob(FarmState state, string jobId, Func<JobState, JobState> change) =>
        state.Jobs.TryGetValue(jobId, out var job) ? state.WithJob(change(job)) : state;

    /// <summary>One copy changed (the index updates that copy only).</summary>
    private static FarmState UpdateCopy(FarmState state, string jobId, int copy, Func<CopyState, CopyState> change) =>
        state.Jobs.TryGetValue(jobId, out var job) && job.CopyStates.TryGetValue(copy, out var c)
            ? state.WithJob(job with { CopyStates = job.CopyStates.SetItem(copy, change(c)) }, copy)
            : state;

    private static FarmState UpdateDrive(FarmState state, string driveId, Func<DriveView, DriveView> change) =>
        state.Drives.TryGetValue(driveId, out var drive) ? state.WithDrive(change(drive)) : state;
}
