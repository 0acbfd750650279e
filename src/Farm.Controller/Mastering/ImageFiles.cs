using Farm.Device.Errors;
using Farm.Device.Mastering;

namespace Farm.Controller.Mastering;

/// <summary>
/// An image file written from its plan (<c>farm master</c>, <c>farm submit FOLDER</c>, a hot
/// folder's <c>Data=</c>): streamed and hashed in one pass, never left behind half-written.
/// </summary>
internal static class ImageFiles
{
    /// <summary>What went wrong writing an image, for the operator.</summary>
    internal static string Describe(Exception failure, string output) => failure switch
    {
        DeviceException device => device.Error.ToString(),
        OperationCanceledException => "cancelled",
        _ => $"cannot write {output}: {failure.Message}",
    };

    /// <summary>
    /// How far the reader may run ahead of the file: 4 chunks. A burn's 16 chunks carry a drive
    /// through the reader's stalls, where a starved drive loses its disc; a file only waits, and
    /// the 12 MiB more sat in memory on every large tree (peak RSS 124 MiB for 200,000 files, of
    /// which the full FIFO was 12-14 MiB, docs/BENCHMARKS.md).
    /// </summary>
    private const int FileFifoBytes = 4 * ImagePlan.ChunkBytes;

    /// <summary>
    /// Writes the planned image to <paramref name="output"/> and returns its SHA-256; on any
    /// failure the partial file is deleted, so a partial image never looks like a finished one.
    /// </summary>
    internal static async Task<string> WriteImageAsync(ImagePlan plan, string output, CancellationToken cancellationToken)
    {
        try
        {
            return await WriteAsync(plan, output, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            File.Delete(output);
            throw;
        }
    }

    /// <summary>
    /// Copies the image from its sector source (the one a burn reads: a reader runs ahead and
    /// hashes as it goes) into the file: one pass over the data, the hash a burn would report. The
    /// source's chunks are aligned for direct I/O, so the file is written direct where the system
    /// allows it (<see cref="ImageOutputFile"/>); each chunk is one write on this thread, where an
    /// asynchronous FileStream handed every write to a pool thread and back.
    /// </summary>
    private static async Task<string> WriteAsync(ImagePlan plan, string output, CancellationToken cancellationToken)
    {
        var source = plan.OpenSectorSource(fifoBytes: FileFifoBytes);
        await using (source.ConfigureAwait(false))
        {
            using (var file = ImageOutputFile.Create(output))
            {
                for (var chunk = await source.NextAsync(cancellationToken).ConfigureAwait(false); !chunk.IsEmpty; chunk = await source.NextAsync(cancellationToken).ConfigureAwait(false))
                {
                    file.Write(chunk.Span);
                }
            }

            return await source.GetSha256Async(cancellationToken).ConfigureAwait(false);
        }
    }
}
