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
    /// hashes as it goes) into the file: one pass over the data, the hash a burn would report.
    /// </summary>
    private static async Task<string> WriteAsync(ImagePlan plan, string output, CancellationToken cancellationToken)
    {
        var source = plan.OpenSectorSource();
        await using (source.ConfigureAwait(false))
        {
            var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                for (var chunk = await source.NextAsync(cancellationToken).ConfigureAwait(false); !chunk.IsEmpty; chunk = await source.NextAsync(cancellationToken).ConfigureAwait(false))
                {
                    await file.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                }
            }

            return await source.GetSha256Async(cancellationToken).ConfigureAwait(false);
        }
    }
}
