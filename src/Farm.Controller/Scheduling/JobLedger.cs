using Farm.Messages;
using Farm.Messages.Jobs;

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

/// <summary>The rules a job must meet before the controller takes it (the API and the embedded farm check them).</summary>
public static class JobLedger
{
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
            case SourceKind.Audio when source.AudioTracks is not { Count: > 0 and <= 99 }:
                throw new ArgumentException("an audio CD needs between 1 and 99 WAV tracks");
            case SourceKind.Append when request.ImageBlocks < 1 || !Path.IsPathFullyQualified(source.Path):
                throw new ArgumentException($"an append job adds a folder (an absolute path) as a session of at least one block, not '{source.Path}'");
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
}
