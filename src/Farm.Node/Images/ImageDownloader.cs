using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Images;

/// <summary>
/// Downloads one image by its SHA-256 from the controllers (<c>GET /api/images/{sha256}</c>) into a
/// partial file, resuming with <c>Range: bytes=N-</c> after a cut (from the same controller or the
/// next), hashing as it goes, so the file is renamed into place only once its SHA-256 matches.
/// </summary>
internal sealed partial class ImageDownloader(ImageFetchOptions options, HttpClient http, TimeProvider time, ILogger logger)
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>What a download did: the bytes received over the network and the resumes it took.</summary>
    public sealed record Outcome(long Bytes, long Received, int Resumes, Uri From);

    /// <summary>
    /// Downloads <paramref name="sha256"/> to <paramref name="finalPath"/> (through <paramref name="partialPath"/>, kept
    /// after a failure so the next try resumes it). <paramref name="reserve"/> is told the image's size before the
    /// first byte is written (it makes room in the cache or throws).
    /// </summary>
    public async Task<Outcome> DownloadAsync(string sha256, string partialPath, string finalPath, Action<long> reserve, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var have = await HashPartialAsync(partialPath, hash, cancellationToken).ConfigureAwait(false);
        long received = 0;
        var resumes = 0;
        var failures = new List<string>();
        var roundsWithoutProgress = 0;
        while (true)
        {
            var progressed = false;
            foreach (var controller in options.Controllers)
            {
                var before = have;
                resumes += have > 0 ? 1 : 0;
                try
                {
                    var result = await TryOnceAsync(controller, sha256, partialPath, hash, have, reserve, cancellationToken).ConfigureAwait(false);
                    received += result.Received;
                    return Finish(sha256, partialPath, finalPath, hash, new Outcome(result.Total, received, resumes, controller));
                }
                catch (Exception cut) when (IsTransient(cut, cancellationToken))
                {
                    // What reached the file before the cut was hashed too: the next try asks for the rest.
                    have = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
                    received += Math.Max(0, have - before);
                    failures.Add($"{controller}: {cut.Message}");
                    LogCut(logger, sha256, controller, have, cut.Message);
                    if (have > before)
                    {
                        progressed = true;
                        break; // resume at once, from the same controller first
                    }
                }
            }

            if (progressed)
            {
                roundsWithoutProgress = 0;
                continue;
            }

            if (++roundsWithoutProgress >= options.Attempts)
            {
                throw new ImageFetchException(
                    $"image {sha256} could not be fetched from {string.Join(" or ", options.Controllers)} after {options.Attempts} tries "
                    + $"({have:N0} bytes kept to resume): {string.Join("; ", failures.TakeLast(options.Controllers.Count))}; "
                    + "check that a controller is reachable (farm-node --farm), the token (--token) and that the job's image is still in the controller's image roots");
            }

            await Task.Delay(options.RetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One request that got the image to its end: its size and the bytes this request received.</summary>
    private sealed record Attempt(long Total, long Received);

    private async Task<Attempt> TryOnceAsync(Uri controller, string sha256, string partialPath, IncrementalHash hash, long have, Action<long> reserve, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(controller, $"/api/images/{sha256}"));
        if (options.Token is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0 && response.Content.Headers.ContentRange?.Length == have)
        {
            return new Attempt(have, 0); // the partial file is whole: a cut after the last byte
        }

        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(problem)}", null, response.StatusCode);
        }

        long from = 0;
        long total;
        if (response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange is { From: { } start, Length: { } length })
        {
            if (start != have)
            {
                throw new HttpRequestException($"asked for bytes from {have} but got a range from {start}");
            }

            from = start;
            total = length;
        }
        else
        {
            // A whole answer (200): a first request, or a server that ignores Range: start over.
            total = response.Content.Headers.ContentLength ?? throw new HttpRequestException("the answer has no Content-Length; the image's size is unknown");
            if (have > 0)
            {
                hash.GetHashAndReset();
            }
        }

        reserve(total);
        var file = new FileStream(partialPath, from == 0 ? FileMode.Create : FileMode.Append, FileAccess.Write, FileShare.None, ChunkBytes, FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                var buffer = new byte[ChunkBytes];
                var at = from;
                while (true)
                {
                    int read;
                    using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        stall.CancelAfter(options.StallTimeout);
                        read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    if (at + read > total)
                    {
                        throw new HttpRequestException($"the controller sent more than the {total:N0} bytes it announced");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    hash.AppendData(buffer, 0, read);
                    at += read;
                }

                if (at != total)
                {
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    throw new IOException($"the answer ended after {at:N0} of {total:N0} bytes");
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                return new Attempt(total, at - from);
            }
        }
    }

    /// <summary>Hashes what an earlier try left, so the resumed download's hash covers the whole image.</summary>
    private static async Task<long> HashPartialAsync(string partialPath, IncrementalHash hash, CancellationToken cancellationToken)
    {
        if (!File.Exists(partialPath))
        {
            return 0;
        }

        var stream = new FileStream(partialPath, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[ChunkBytes];
            long length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                length += read;
            }

            return length;
        }
    }

    private static Outcome Finish(string sha256, string partialPath, string finalPath, IncrementalHash hash, Outcome outcome)
    {
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (actual != sha256)
        {
            File.Delete(partialPath);
            throw new ImageFetchException(
                $"image {sha256} fetched from {outcome.From} hashes to {actual}: the controller's file changed after the job was submitted, or the transfer was corrupted; "
                + "the download was discarded; submit the job again once the image is final");
        }

        File.Move(partialPath, finalPath, overwrite: true);
        return outcome;
    }

    /// <summary>A failure worth resuming from: a network error, an HTTP error, a short answer, a stall (not the caller's cancellation).</summary>
    private static bool IsTransient(Exception failure, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && failure is HttpRequestException or IOException or OperationCanceledException;

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    [LoggerMessage(EventId = 2250, Level = LogLevel.Warning, Message = "Image {Sha256}: the download from {Controller} was cut with {Bytes} bytes kept; resuming: {Reason}")]
    private static partial void LogCut(ILogger logger, string sha256, Uri controller, long bytes, string reason);
}
