namespace Farm.Controller.Api.Reports;

/// <summary>
/// One disc burned for a job: one attempt at one copy, on one drive. <see cref="Outcome"/> is
/// verified, rejected, interrupted, aborted or burning. <see cref="SpeedCurve"/> holds
/// <c>[lba, MB/s]</c> pairs (at most <see cref="Farm.Messages.Drives.SpeedPoint.MaxPerCurve"/>), as the drive's node
/// measured them while writing (empty for a burn that never finished writing). <see cref="Tracks"/>
/// lists an audio CD's tracks as its drive read them back (null for data discs and before verify).
/// </summary>
public sealed record DiscRecord(
    int Copy,
    int Attempt,
    string? Drive,
    string? Node,
    string? Tower,
    string Media,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    double? AverageMBps,
    double? PeakMBps,
    string Verify,
    string? Sha256,
    string Outcome,
    string? RejectReason,
    long? InterruptedLba,
    IReadOnlyList<double[]> SpeedCurve,
    IReadOnlyList<TrackRecord>? Tracks = null);

/// <summary>
/// One track of a verified audio CD: its number, WAV, start LBA, length in CD frames and as
/// <c>mm:ss:ff</c> (75 frames a second), the SHA-256 of its 2352-byte blocks as read back, and the
/// job's CD-TEXT title and performer and ISRC for it (null when the job gave none).
/// </summary>
public sealed record TrackRecord(
    int Number,
    string Source,
    long StartLba,
    long Blocks,
    string Duration,
    string Sha256,
    string? Title = null,
    string? Performer = null,
    string? Isrc = null);

/// <summary>The outcomes a disc can have.</summary>
public static class DiscOutcomes
{
    public const string Verified = "verified";
    public const string Rejected = "rejected";
    public const string Interrupted = "interrupted";
    public const string Aborted = "aborted";
    public const string Burning = "burning";
}
