namespace Farm.Controller.Api.Reports;

/// <summary>
/// One disc burned for a job: one attempt at one copy, on one drive. <see cref="Outcome"/> is
/// verified, rejected, interrupted, aborted or burning. <see cref="SpeedCurve"/> holds
/// <c>[lba, MB/s]</c> pairs (at most <see cref="Farm.Messages.Drives.SpeedPoint.MaxPerCurve"/>), as the drive's node
/// measured them while writing (empty for a burn that never finished writing).
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
    IReadOnlyList<double[]> SpeedCurve);

/// <summary>The outcomes a disc can have.</summary>
public static class DiscOutcomes
{
    public const string Verified = "verified";
    public const string Rejected = "rejected";
    public const string Interrupted = "interrupted";
    public const string Aborted = "aborted";
    public const string Burning = "burning";
}
