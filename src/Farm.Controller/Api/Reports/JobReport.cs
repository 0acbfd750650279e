using Farm.Messages.Views;

namespace Farm.Controller.Api.Reports;

/// <summary>
/// The proof of what was burned for a job (<c>GET /api/jobs/{id}/report</c>): the job, every disc
/// burned for it with its timings, speeds, verify, checksum and outcome, and when the report was made.
/// </summary>
public sealed record JobReport(JobView Job, IReadOnlyList<DiscRecord> Discs, DateTimeOffset GeneratedAt)
{
    public static JobReport Of(JobState job, IReadOnlyList<DiscRecord> discs, DateTimeOffset now) =>
        new(JobView.Summary(job, discs), discs, now);

    /// <summary>
    /// <c>sha256  copy-N</c> for each verified copy (sha256sum's two spaces), in copy order: the
    /// checksums the drives read back from the discs in the output bin.
    /// </summary>
    public static string Manifest(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return string.Concat(job.CopyStates.Values
            .Where(c => c.Status == CopyStatus.Verified && c.Sha256 is not null)
            .Select(c => $"{c.Sha256}  copy-{c.Copy}\n"));
    }
}
