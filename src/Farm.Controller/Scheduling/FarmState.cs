using System.Collections.Immutable;
using Farm.Messages;

namespace Farm.Controller.Scheduling;

public enum JobStatus
{
    Running = 0,
    Completed = 1,
    Failed = 2,
}

public enum CopyStatus
{
    /// <summary>Waiting for an idle drive with the right media.</summary>
    Pending = 0,

    /// <summary>A drive has it (from CopyAssigned until the disc is binned or the attempt fails).</summary>
    Assigned = 1,

    /// <summary>Verified and in an output bin: it counts.</summary>
    Verified = 2,
}

/// <summary>
/// What a drive reported about its attempt at a copy, waiting for the controller to record it as a
/// decision (CopyVerified, or CopyFailed and CopyRequeued).
/// </summary>
public sealed record AttemptOutcome(bool Verified, string? Sha256, string? DiscId, FailureReason? Failure);

/// <summary>One copy of a job: which attempt it is on, where, and which drive to avoid after a failure.</summary>
public sealed record CopyState(int Copy, CopyStatus Status, int Attempt, string? DriveId, string? AvoidDriveId, string? Sha256, AttemptOutcome? Outcome = null);

/// <summary>A job as the controller sees it, rebuilt from the journal.</summary>
public sealed record JobState(
    string JobId,
    string ImagePath,
    long ImageBlocks,
    int Copies,
    VerifyMode Verify,
    string MediaType,
    int Priority,
    DateTimeOffset SubmittedAt,
    JobStatus Status,
    ImmutableSortedDictionary<int, CopyState> CopyStates,
    int Rejected,
    ImmutableList<FailureReason> Failures,
    string? Why)
{
    /// <summary>An interrupted disc on rewritable media may be resumed (passed on in each CopyAssigned).</summary>
    public bool AllowResume { get; init; }

    /// <summary>The label template towers print on each disc.</summary>
    public string? Label { get; init; }

    public int Verified => CopyStates.Values.Count(c => c.Status == CopyStatus.Verified);

    public int InFlight => CopyStates.Values.Count(c => c.Status == CopyStatus.Assigned);
}

/// <summary>What a drive is doing, as far as the controller knows.</summary>
public enum DriveStatus
{
    Offline = 0,
    Idle = 1,
    Busy = 2,
    Maintenance = 3,

    /// <summary>Held by an operator, by its own need for a person, or by its tower's alert.</summary>
    Paused = 4,
}

/// <summary>
/// A drive's view for scheduling and the console: its node and tower, what it is doing and how far
/// it got. <see cref="Phase"/> is the recorder's last reported step (Loading, Writing, Verifying...).
/// </summary>
public sealed record DriveView(
    string DriveId,
    string NodeId,
    string TowerId,
    string Product,
    DriveStatus Status,
    string Phase,
    string? JobId,
    int Copy,
    int Attempt,
    long LastWrittenLba,
    long TotalBlocks,
    double BytesPerSecond,
    string? LastError,
    int Failures);

/// <summary>A tower's bins as last reported.</summary>
public sealed record TowerView(string TowerId, int InputBlanks, string InputMediaType, int Output, int Reject, string? Alert);

/// <summary>The controller's whole projection of the farm. Immutable: every event yields a new one.</summary>
public sealed record FarmState(
    ImmutableSortedDictionary<string, JobState> Jobs,
    ImmutableSortedDictionary<string, DriveView> Drives,
    ImmutableSortedDictionary<string, TowerView> Towers,
    long LastOrdering)
{
    public static readonly FarmState Empty = new(
        ImmutableSortedDictionary.Create<string, JobState>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, DriveView>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, TowerView>(StringComparer.Ordinal),
        0);
}
