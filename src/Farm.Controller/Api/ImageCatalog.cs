using System.Collections.Concurrent;
using System.Security.Cryptography;
using Farm.Messages.Jobs;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Api;

/// <summary>
/// The SHA-256 of the images jobs burn, so a node that cannot open a job's image path fetches it
/// by hash (<c>GET /api/images/{sha256}</c>). A hash is computed at submit, streamed and
/// cancellable, and kept per (path, size, last write): submitting one image again costs nothing,
/// and a file changed since is hashed again. After a restart the catalog is empty: a hash asked
/// for is looked up in the farm's jobs and their images hashed again, once.
/// </summary>
public sealed partial class ImageCatalog(FarmApiOptions options, FarmControllerGateway farm, TimeProvider time, ILogger<ImageCatalog> logger)
{
    /// <summary>Paths remembered at most; beyond, the memory starts again (a hash is only a read away).</summary>
    private const int MaxEntries = 10_000;

    private const int ReadBufferBytes = 1024 * 1024;

    private readonly ConcurrentDictionary<string, (long Size, DateTime Modified, string Sha256)> _hashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _paths = new(StringComparer.Ordinal);

    /// <summary>The file's SHA-256 (lower-case hex), from memory when the file did not change since it was hashed.</summary>
    public async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"image '{path}' does not exist", path);
        }

        if (_hashes.TryGetValue(path, out var known) && known.Size == file.Length && known.Modified == file.LastWriteTimeUtc)
        {
            return known.Sha256;
        }

        var started = time.GetTimestamp();
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ReadBufferBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        string sha256;
        await using (stream.ConfigureAwait(false))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }

        if (_hashes.Count >= MaxEntries)
        {
            _hashes.Clear();
            _paths.Clear();
        }

        _hashes[path] = (file.Length, file.LastWriteTimeUtc, sha256);
        _paths[sha256] = path;
        var seconds = time.GetElapsedTime(started).TotalSeconds;
        LogHashed(logger, path, file.Length, sha256, seconds);
        return sha256;
    }

    /// <summary>The job with the hash of each of its images (audio jobs stay as they are: their WAVs are staged on the node).</summary>
    public async Task<JobSubmitted> WithHashesAsync(JobSubmitted job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        // Audio tracks and an append job's folder are read at their paths by the node: no image to fetch.
        if (job.Source?.Kind is SourceKind.Audio or SourceKind.Append)
        {
            return job;
        }

        var sha256 = await HashAsync(job.ImagePath, cancellationToken).ConfigureAwait(false);
        if (job.Source is { Kind: SourceKind.CollatedSet, SetImages: { Count: > 0 } set } source)
        {
            var hashed = new List<SetImage>(set.Count);
            foreach (var image in set)
            {
                hashed.Add(image with { Sha256 = await HashAsync(image.Path, cancellationToken).ConfigureAwait(false) });
            }

            return job with { ImageSha256 = sha256, Source = source with { SetImages = hashed } };
        }

        return job with { ImageSha256 = sha256 };
    }

    /// <summary>
    /// The path of the image whose content is <paramref name="sha256"/> (lower-case hex), if a job
    /// of the farm burns it, it lies in an image root (<c>--image-root</c>, when given) and it still
    /// has that content; null otherwise.
    /// </summary>
    public async Task<string?> FindAsync(string sha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (_paths.TryGetValue(sha256, out var remembered) && await StillHoldsAsync(remembered, sha256, cancellationToken).ConfigureAwait(false))
        {
            return remembered;
        }

        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        var candidates = state.Jobs.Values
            .SelectMany(job => (job.Source.SetImages ?? []).Append(job.ImageOf(1)))
            .Where(image => image.Sha256 == sha256)
            .Select(image => image.Path)
            .Distinct(StringComparer.Ordinal);
        foreach (var path in candidates)
        {
            if (await StillHoldsAsync(path, sha256, cancellationToken).ConfigureAwait(false))
            {
                return path;
            }
        }

        return null;
    }

    private async Task<bool> StillHoldsAsync(string path, string sha256, CancellationToken cancellationToken)
    {
        if (!InRoots(path))
        {
            return false;
        }

        try
        {
            return await HashAsync(path, cancellationToken).ConfigureAwait(false) == sha256;
        }
        catch (Exception gone) when (gone is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(logger, path, gone.Message);
            return false;
        }
    }

    /// <summary>Served only from inside the image roots, judged on the real path (links resolved), as at submit.</summary>
    private bool InRoots(string path)
    {
        if (options.ImageRoots.Count == 0)
        {
            return true;
        }

        try
        {
            var real = RealPaths.Of(path);
            return options.ImageRoots.Any(root => RealPaths.IsUnder(real, root));
        }
        catch (Exception bad) when (bad is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3530, Level = LogLevel.Information, Message = "Image {Path}: {Bytes} bytes, SHA-256 {Sha256} ({Seconds:F2} s)")]
    private static partial void LogHashed(ILogger logger, string path, long bytes, string sha256, double seconds);

    [LoggerMessage(EventId = 3531, Level = LogLevel.Warning, Message = "Image {Path} cannot be read to serve it: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
