using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Towers;

namespace Farm.Controller.Scheduling;

/// <summary>
/// The one pure function that turns events into the controller's view of the farm. The same
/// function runs on replay after a restart and live while tailing, so both see the same farm.
/// </summary>
public static class FarmProjection
{
    public static FarmState Apply(FarmState state, IFarmEvent farmEvent, long ordering = 0)
    {
        ArgumentNullException.ThrowIfNull(state);
        var next = farmEvent switch
        {
            JobSubmitted e => state.Jobs.ContainsKey(e.JobId) ? state : state with
            {
                Jobs = state.Jobs.Add(e.JobId, new JobState(
                    e.JobId, e.ImagePath, e.ImageBlocks, e.Copies, e.Verify, e.MediaType, e.Priority, e.SubmittedAt, JobStatus.Running,
                    Enumerable.Range(1, e.Copies).ToImmutableSortedDictionary(c => c, c => new CopyState(c, CopyStatus.Pending, 0, null, null, null)),
                    0, [], null) { AllowResume = e.AllowResume, Label = e.Label }),
            },
            CopyAssigned e => UpdateCopy(state, e.JobId, e.Copy, c => c with { Status = CopyStatus.Assigned, Attempt = e.Attempt, DriveId = e.DriveId })
                is var assigned
                ? UpdateDrive(assigned, e.DriveId, d => d with { Status = DriveStatus.Busy, Phase = "Assigned", JobId = e.JobId, Copy = e.Copy, Attempt = e.Attempt, LastWrittenLba = -1, TotalBlocks = e.ImageBlocks, BytesPerSecond = 0 })
                : state,
            CopyVerified e => UpdateCopy(state, e.JobId, e.Copy, c => c with { Status = CopyStatus.Verified, Sha256 = e.Sha256, Outcome = null }),
            CopyFailed e => UpdateJob(state, e.JobId, j => j with { Rejected = j.Rejected + 1, Failures = j.Failures.Add(e.Reason) }),
            CopyRequeued e => UpdateCopy(state, e.JobId, e.Copy, c => c with { Status = CopyStatus.Pending, Attempt = e.NextAttempt - 1, DriveId = null, AvoidDriveId = e.AvoidDriveId, Outcome = null }),
            JobCompleted e => UpdateJob(state, e.JobId, j => j with { Status = JobStatus.Completed }),
            JobFailed e => UpdateJob(state, e.JobId, j => j with { Status = JobStatus.Failed, Why = e.Why }),

            DriveCameOnline e => state with
            {
                Drives = state.Drives.SetItem(e.DriveId, state.Drives.TryGetValue(e.DriveId, out var known)
                    ? known with { NodeId = e.NodeId, TowerId = e.TowerId, Product = $"{e.Vendor} {e.Product}", Status = known.Status == DriveStatus.Offline ? DriveStatus.Idle : known.Status }
                    : new DriveView(e.DriveId, e.NodeId, e.TowerId, $"{e.Vendor} {e.Product}", DriveStatus.Idle, "Idle", null, 0, 0, -1, 0, 0, null, 0)),
            },
            BurnAssigned e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Accepted" }),
            DiscLoaded e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Loaded" }),
            BurnStarted e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Writing", LastWrittenLba = e.StartLba - 1, TotalBlocks = e.TotalBlocks }),
            SectorsWritten e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Writing", LastWrittenLba = e.LastWrittenLba, TotalBlocks = e.TotalBlocks, BytesPerSecond = e.BytesPerSecond }),
            BurnClosing e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Closing", LastWrittenLba = e.LastWrittenLba }),
            BurnFinished e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Verifying", LastWrittenLba = e.Blocks - 1 }),
            DiscVerified e => UpdateDrive(state, e.DriveId, d => d with { Phase = "Verified" }),
            BurnFailed e => RecordOutcome(
                UpdateDrive(state, e.DriveId, d => d with { Phase = "Failed", LastError = e.Reason.ToString(), Failures = d.Failures + 1 }),
                e.JobId, e.Copy, e.Attempt, new AttemptOutcome(false, null, null, e.Reason)),
            DiscInterrupted e => RecordOutcome(
                UpdateDrive(state, e.DriveId, d => d with { Phase = "Interrupted", LastError = $"interrupted while {e.Phase} at LBA {e.LastPersistedLba} of {e.TotalBlocks}" }),
                e.JobId, e.Copy, e.Attempt, new AttemptOutcome(false, null, e.DiscId, Interrupted(e))),
            DiscUnloaded e => e.Bin == Bins.Output
                ? RecordOutcome(UpdateDrive(state, e.DriveId, d => d with { Phase = "Unloaded" }), e.JobId, e.Copy, e.Attempt, new AttemptOutcome(true, e.Sha256, e.DiscId, null))
                : UpdateDrive(state, e.DriveId, d => d with { Phase = "Rejected" }),
            DriveIdle e => UpdateDrive(state, e.DriveId, d => d with { Status = d.Status == DriveStatus.Maintenance ? DriveStatus.Maintenance : DriveStatus.Idle, Phase = "Idle", JobId = null, BytesPerSecond = 0 }),
            DriveEnteredMaintenance e => UpdateDrive(state, e.DriveId, d => d with { Status = DriveStatus.Maintenance, Phase = "Maintenance", LastError = e.Why }),
            DriveLeftMaintenance e => UpdateDrive(state, e.DriveId, d => d with { Status = DriveStatus.Idle, Phase = "Idle", JobId = null }),
            DrivePaused e => UpdateDrive(state, e.DriveId, d => d.Status == DriveStatus.Maintenance ? d : d with { Status = DriveStatus.Paused, Phase = "Paused", JobId = null, BytesPerSecond = 0, LastError = e.Why }),
            DriveAlertRaised e => UpdateDrive(state, e.DriveId, d => d with { LastError = e.Message }),

            TowerBinsReported e => state with
            {
                Towers = state.Towers.SetItem(e.TowerId, new TowerView(e.TowerId, e.InputBlanks, e.InputMediaType, e.Output, e.Reject,
                    state.Towers.TryGetValue(e.TowerId, out var tower) && e.InputBlanks == 0 ? tower.Alert : null)),
            },
            TowerAlertRaised e => state.Towers.TryGetValue(e.TowerId, out var alerted)
                ? state with { Towers = state.Towers.SetItem(e.TowerId, alerted with { Alert = e.Message }) }
                : state,
            TowerAlertCleared e => state.Towers.TryGetValue(e.TowerId, out var cleared)
                ? state with { Towers = state.Towers.SetItem(e.TowerId, cleared with { Alert = null }) }
                : state,
            _ => state,
        };
        return ordering > next.LastOrdering ? next with { LastOrdering = ordering } : next;
    }

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
        $"the burn was interrupted while {e.Phase} (node stopped or lost power) at LBA {e.LastPersistedLba} of {e.TotalBlocks}");

    private static FarmState UpdateJob(FarmState state, string jobId, Func<JobState, JobState> change) =>
        state.Jobs.TryGetValue(jobId, out var job) ? state with { Jobs = state.Jobs.SetItem(jobId, change(job)) } : state;

    private static FarmState UpdateCopy(FarmState state, string jobId, int copy, Func<CopyState, CopyState> change) =>
        UpdateJob(state, jobId, j => j.CopyStates.TryGetValue(copy, out var c) ? j with { CopyStates = j.CopyStates.SetItem(copy, change(c)) } : j);

    private static FarmState UpdateDrive(FarmState state, string driveId, Func<DriveView, DriveView> change) =>
        state.Drives.TryGetValue(driveId, out var drive) ? state with { Drives = state.Drives.SetItem(driveId, change(drive)) } : state;
}
