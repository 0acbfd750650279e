namespace Farm.Messages.Jobs;

// The controller's decisions and the job ledger. All live in the controller's stream; their
// order there is the order the controller took them, fenced by the stream's sequence number.

/// <summary>A job was accepted: burn <paramref name="Copies"/> discs of one image.</summary>
public sealed record JobSubmitted(
    string JobId,
    string ImagePath,
    long ImageBlocks,
    int Copies,
    VerifyMode Verify,
    string MediaType,
    int Priority,
    DateTimeOffset SubmittedAt,
    bool AllowResume = false,
    string? Label = null) : IFarmEvent;

/// <summary>The controller gave one copy of a job to a drive; the drive's node carries it out.</summary>
/// <param name="AllowResume">On rewritable media an interrupted disc may be resumed instead of rejected (optional; older events lack it).</param>
/// <param name="Label">The label template the tower prints on the disc, with {job} {copy} {date} {drive} {disc} merge fields (optional).</param>
public sealed record CopyAssigned(
    string JobId,
    int Copy,
    int Attempt,
    string NodeId,
    string DriveId,
    string ImagePath,
    long ImageBlocks,
    VerifyMode Verify,
    string MediaType,
    bool AllowResume = false,
    string? Label = null) : IFarmEvent;

/// <summary>A copy's disc burned, verified and went to an output bin: it counts.</summary>
public sealed record CopyVerified(string JobId, int Copy, int Attempt, string DriveId, string Sha256, string DiscId) : IFarmEvent;

/// <summary>A copy's attempt failed; its disc went to the reject bin.</summary>
public sealed record CopyFailed(string JobId, int Copy, int Attempt, string DriveId, FailureReason Reason, string? DiscId) : IFarmEvent;

/// <summary>A failed copy waits for fresh media again.</summary>
public sealed record CopyRequeued(string JobId, int Copy, int NextAttempt, string AvoidDriveId) : IFarmEvent;

/// <summary>The job has exactly its number of verified copies.</summary>
public sealed record JobCompleted(string JobId, int Verified, int Rejected, DateTimeOffset CompletedAt) : IFarmEvent;

/// <summary>The job cannot finish (no capable drive, too many attempts); nothing more is assigned.</summary>
public sealed record JobFailed(string JobId, string Why, int Verified, int Rejected, DateTimeOffset FailedAt) : IFarmEvent;
