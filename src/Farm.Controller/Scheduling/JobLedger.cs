using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Node.Journal;

namespace Farm.Controller.Scheduling;

/// <summary>A job as a user submits it, before it has an id.</summary>
/// <param name="ImagePath">The image (for a collated set: the first disc's, for display).</param>
/// <param name="ImageBlocks">The image's 2048-byte blocks.</param>
/// <param name="Copies">Copies, or sets for a collated set.</param>
public sealed record JobRequest(string ImagePath, long ImageBlocks, int Copies, VerifyMode Verify, string MediaType, int Priority = 0)
{
    /// <summary>What to burn; null burns the image at <see cref="ImagePath"/>.</summary>
    public JobSource? Source { get; init; }

    public LabelSpec? Label { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Overrides the farm's attempts per copy for this job.</summary>
    public int? MaxAttemptsPerCopy { get; init; }

    /// <summary>A disc interrupted on rewritable media may be resumed from its last persisted LBA instead of rejected.</summary>
    public bool AllowResume { get; init; }
}

/// <summary>
/// The job ledger's writes: submitting a job and the operator's hold, resume and cancel. Each job
/// has a stream of its own ("job-{id}"), so submitters never race the controller's fenced stream;
/// the controller reads these events from the journal like any other.
/// </summary>
public static class JobLedger
{
    public static string StreamIdOf(string jobId) => $"job-{jobId}";

    /// <summary>Checks a request; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static void Validate(JobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Copies is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"a job needs between 1 and 1000000 copies, not {request.Copies}");
        }

        if (string.IsNullOrWhiteSpace(request.MediaType))
        {
            throw new ArgumentException("a job needs a media type (e.g. DVD+R)");
        }

        var source = request.Source ?? new JobSource(SourceKind.Image, request.ImagePath);
        switch (source.Kind)
        {
            case SourceKind.Folder when request.ImageBlocks < 1:
                throw new ArgumentException($"the folder '{source.Path}' must be mastered into an image first (farm master, or farm submit FOLDER, which masters it); the job burns that image");
            case SourceKind.CollatedSet when source.SetImages is not { Count: > 0 }:
                throw new ArgumentException("a collated set needs at least one image");
            case SourceKind.CollatedSet when source.SetImages.Any(i => i.Blocks < 1):
                throw new ArgumentException($"every image of a set must hold at least one block; '{source.SetImages.First(i => i.Blocks < 1).Path}' holds none");
            case SourceKind.Image when request.ImageBlocks < 1:
                throw new ArgumentException($"the image '{request.ImagePath}' holds no 2048-byte block");
        }

        if (request.MaxAttemptsPerCopy is < 1)
        {
            throw new ArgumentException($"max attempts per copy must be at least 1, not {request.MaxAttemptsPerCopy}");
        }

        if (request.Label is { } label && LabelRenderer.Problem(label, request.Copies) is { } problem)
        {
            throw new ArgumentException(problem);
        }
    }

    /// <summary>Validates and appends JobSubmitted to a new stream; returns the job's id.</summary>
    public static async Task<string> SubmitAsync(IJournal journal, JobRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(time);
        Validate(request);
        var now = time.GetUtcNow();
        var jobId = $"{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        await journal.AppendAsync(
            StreamIdOf(jobId),
            0,
            [new JobSubmitted(jobId, request.ImagePath, request.ImageBlocks, request.Copies, request.Verify, request.MediaType, request.Priority, now,
                request.Source, request.Label, request.DueAt, request.MaxAttemptsPerCopy, request.AllowResume)],
            "job",
            cancellationToken).ConfigureAwait(false);
        return jobId;
    }

    public static Task HoldAsync(IJournal journal, string jobId, string reason, TimeProvider time, CancellationToken cancellationToken) =>
        AppendAsync(journal, jobId, new JobHeld(jobId, reason, (time ?? throw new ArgumentNullException(nameof(time))).GetUtcNow()), cancellationToken);

    public static Task ResumeAsync(IJournal journal, string jobId, TimeProvider time, CancellationToken cancellationToken) =>
        AppendAsync(journal, jobId, new JobResumed(jobId, (time ?? throw new ArgumentNullException(nameof(time))).GetUtcNow()), cancellationToken);

    /// <summary>Stops assigning the job's copies at once; burns in flight finish (and count) or, with <paramref name="abortInFlight"/>, are aborted.</summary>
    public static Task CancelAsync(IJournal journal, string jobId, bool abortInFlight, string reason, TimeProvider time, CancellationToken cancellationToken) =>
        AppendAsync(journal, jobId, new JobCancelled(jobId, abortInFlight, reason, (time ?? throw new ArgumentNullException(nameof(time))).GetUtcNow()), cancellationToken);

    /// <summary>Appends an operator's event to the job's stream at its head; several operators may write, so a moved head is re-read.</summary>
    private static async Task AppendAsync(IJournal journal, string jobId, IFarmEvent farmEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        for (var attempt = 1; ; attempt++)
        {
            var head = await journal.HighestSequenceNrAsync(StreamIdOf(jobId), cancellationToken).ConfigureAwait(false);
            if (head == 0)
            {
                throw new ArgumentException($"there is no job '{jobId}'");
            }

            try
            {
                await journal.AppendAsync(StreamIdOf(jobId), head, [farmEvent], "job", cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (JournalConcurrencyException) when (attempt < 10)
            {
                // Another operator wrote first; their event is in, ours goes after it.
            }
        }
    }
}
