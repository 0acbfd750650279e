using System.Text.Json.Serialization;
using Farm.Messages.Jobs;
using Farm.Messages.Views;

namespace Farm.Controller.Api;

/// <summary>
/// A job as the API shows it. <see cref="Copies"/> is what was asked (copies, or sets for a
/// collated set); <see cref="Discs"/> the discs that must be verified for it to complete. The
/// per-copy list is shown only for one job (<c>GET /api/jobs/{id}</c>).
/// </summary>
public sealed record JobView(
    string Id,
    string Status,
    bool Finished,
    string Image,
    string Source,
    IReadOnlyList<string> Images,
    int Copies,
    int DiscsPerSet,
    int Discs,
    int Verified,
    int Rejected,
    int InFlight,
    string Media,
    string Verify,
    int Priority,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? Due,
    int? MaxAttempts,
    string? Label,
    string? Why)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CopyView>? CopyStates { get; init; }

    /// <summary>The IMAPI2 failures of the job's attempts so far, oldest first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Failures { get; init; }

    public static JobView Summary(JobState job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobView(
            job.JobId, job.Status.ToString(), job.IsFinished, job.ImagePath, job.Source.Kind.ToString(),
            job.Source.SetImages is { Count: > 0 } set ? [.. set.Select(i => i.Path)] : [job.ImagePath],
            job.Copies, job.DiscsPerSet, job.Discs, job.Verified, job.Rejected, job.InFlight, job.MediaType, job.Verify.ToString(),
            job.Priority, job.SubmittedAt, job.DueAt, job.MaxAttemptsPerCopy, job.Label?.Template, job.Why);
    }

    /// <summary>A job just accepted: nothing burned yet.</summary>
    public static JobView Submitted(JobSubmitted job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var set = job.Source is { Kind: SourceKind.CollatedSet, SetImages: { Count: > 0 } images } ? images : null;
        var discsPerSet = set?.Count ?? 1;
        return new JobView(
            job.JobId, nameof(JobStatus.Running), false, job.ImagePath, (job.Source?.Kind ?? SourceKind.Image).ToString(),
            set is null ? [job.ImagePath] : [.. set.Select(i => i.Path)],
            job.Copies, discsPerSet, job.Copies * discsPerSet, 0, 0, 0, job.MediaType, job.Verify.ToString(),
            job.Priority, job.SubmittedAt, job.DueAt, job.MaxAttemptsPerCopy, job.Label?.Template, null);
    }

    public static JobView Detail(JobState job) => Summary(job) with
    {
        CopyStates = [.. job.CopyStates.Values.Select(c => CopyView.From(job, c))],
        Failures = [.. job.Failures.Select(f => f.ToString())],
    };
}

/// <summary>One copy (one disc of a set) of a job: where its current attempt is and how far it got.</summary>
public sealed record CopyView(int Copy, string Image, string Status, int Attempt, string? Drive, string? Phase, long LastWrittenLba, long TotalBlocks, double Percent, string? Sha256)
{
    public static CopyView From(JobState job, CopyState copy)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(copy);
        return new CopyView(
            copy.Copy, job.ImageOf(copy.Copy).Path, copy.Status.ToString(), copy.Attempt, copy.DriveId, copy.Phase, copy.LastWrittenLba, copy.TotalBlocks,
            copy.TotalBlocks > 0 ? Math.Round(100.0 * Math.Max(0, copy.LastWrittenLba + 1) / copy.TotalBlocks, 1) : 0,
            copy.Sha256);
    }
}

/// <summary>The answer to a job control: what the controller recorded.</summary>
public sealed record JobControlView(string Id, string Action, string Recorded);

/// <summary>The farm's jobs, newest first.</summary>
public sealed record JobListView(IReadOnlyList<JobView> Jobs);
