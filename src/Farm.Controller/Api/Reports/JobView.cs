using System.Text.Json.Serialization;
using Farm.Messages.Jobs;
using Farm.Messages.Views;

namespace Farm.Controller.Api.Reports;

/// <summary>
/// A job as the API shows it. <see cref="Copies"/> is what was asked (copies, or sets for a
/// collated set); <see cref="Discs"/> the discs that must be verified for it to complete (JSON
/// <c>discCount</c>). The per-copy list and every disc burned (JSON <c>discs</c>) are shown only
/// for one job (<c>GET /api/jobs/{id}</c>).
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
    [property: JsonPropertyName("discCount")] int Discs,
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
    /// <summary>When the job is due (the same as <see cref="Due"/>, the contract's name).</summary>
    public DateTimeOffset? DueAt => Due;

    /// <summary>The image's SHA-256 as its verified discs read back (null until one is verified, and for collated sets).</summary>
    public string? Sha256 { get; init; }

    /// <summary>The image's SHA-256 as the controller computed it at submit: nodes without the image's path fetch it by this (<c>GET /api/images/{sha256}</c>).</summary>
    public string? ImageSha256 { get; init; }

    /// <summary>Seconds until the job should be done at the pace of its verified discs; null when unknown.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>An audio job's CD-TEXT (album and per track), catalog number and ISRCs, as submitted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AudioText? CdText { get; init; }

    /// <summary>An append job: whether each disc is closed after its session.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CloseDisc { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CopyView>? CopyStates { get; init; }

    /// <summary>Every disc burned for the job, each attempt (only for one job).</summary>
    [JsonPropertyName("discs")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DiscRecord>? DiscRecords { get; init; }

    /// <summary>The IMAPI2 failures of the job's attempts so far, oldest first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Failures { get; init; }

    public static JobView Summary(JobState job) => Summary(job, []);

    /// <param name="discs">The job's discs so far (<see cref="DiscLedger"/>), for its pace.</param>
    public static JobView Summary(JobState job, IReadOnlyList<DiscRecord> discs)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(discs);
        return new JobView(
            job.JobId, job.Status.ToString(), job.IsFinished, job.ImagePath, job.Source.Kind.ToString(),
            job.Source.SetImages is { Count: > 0 } set ? [.. set.Select(i => i.Path)] : [job.ImagePath],
            job.Copies, job.DiscsPerSet, job.Discs, job.Verified, job.Rejected, job.InFlight, job.MediaType, job.Verify.ToString(),
            job.Priority, job.SubmittedAt, job.DueAt, job.MaxAttemptsPerCopy, job.Label?.Template, job.Why)
        {
            Sha256 = job.DiscsPerSet == 1 ? job.CopyStates.Values.FirstOrDefault(c => c.Status == CopyStatus.Verified && c.Sha256 is not null)?.Sha256 : null,
            EtaSeconds = Eta(job, discs),
            ImageSha256 = job.ImageSha256,
            CdText = job.Source.AudioText,
            CloseDisc = job.Source.CloseDisc,
        };
    }

    /// <summary>
    /// The discs left, burned as many at a time as are in flight now (at least one), each taking
    /// as long as the job's verified discs took on average; 0 once complete, null while unknown.
    /// </summary>
    private static double? Eta(JobState job, IReadOnlyList<DiscRecord> discs)
    {
        if (job.Status == JobStatus.Completed)
        {
            return 0;
        }

        var took = discs.Where(d => d.Outcome == DiscOutcomes.Verified && d.StartedAt is not null && d.EndedAt > d.StartedAt)
            .Select(d => (d.EndedAt!.Value - d.StartedAt!.Value).TotalSeconds)
            .ToList();
        if (job.IsFinished || job.Status != JobStatus.Running || took.Count == 0)
        {
            return null;
        }

        var left = job.Discs - job.Verified;
        var lanes = Math.Max(1, job.InFlight);
        return Math.Round(Math.Ceiling((double)left / lanes) * took.Average(), 0);
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
            job.Priority, job.SubmittedAt, job.DueAt, job.MaxAttemptsPerCopy, job.Label?.Template, null)
        {
            ImageSha256 = job.ImageSha256,
            CdText = job.Source?.AudioText,
            CloseDisc = job.Source?.CloseDisc ?? false,
        };
    }

    public static JobView Detail(JobState job) => Detail(job, []);

    public static JobView Detail(JobState job, IReadOnlyList<DiscRecord> discs) => Summary(job, discs) with
    {
        CopyStates = [.. job.CopyStates.Values.Select(c => CopyView.From(job, c))],
        Failures = [.. job.Failures.Select(f => f.ToString())],
        DiscRecords = discs,
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
