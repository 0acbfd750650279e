using System.CommandLine;
using Farm.Device.Errors;
using Farm.Device.Mastering;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm master FOLDER -o IMAGE.iso [--volume-id NAME]</c>: an ISO 9660 + Joliet image of a
/// folder, planned first (its size is printed before a byte is written), then streamed to the
/// file while it is hashed. Bad input (a missing folder, a name Joliet cannot hold, a file that
/// changed while it was read) prints the error and exits 2, and no partial image is left behind.
/// Exit codes: 0 mastered, 1 bad usage, 2 bad input.
/// </summary>
public static class MasterCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("FOLDER") { Description = "Folder to master" };
        var output = new Option<string>("--output", "-o") { Description = "Image file to write (.iso)", Required = true };
        var volumeId = new Option<string?>("--volume-id") { Description = "Volume label (default: the folder's name)" };
        var command = new Command("master", "Master a folder into an ISO 9660 + Joliet image") { folder, output, volumeId };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(folder)!, result.GetValue(output)!, result.GetValue(volumeId), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string folder, string output, string? volumeId, CancellationToken cancellationToken)
    {
        IsoImagePlan plan;
        try
        {
            plan = IsoImagePlan.Create(folder, new IsoMasteringOptions { VolumeId = volumeId });
        }
        catch (DeviceException failure)
        {
            await Console.Error.WriteLineAsync($"farm master: {failure.Error}").ConfigureAwait(false);
            return 2;
        }

        var image = Path.GetFullPath(output);
        if (plan.Contains(image))
        {
            await Console.Error.WriteLineAsync($"farm master: the image {image} would be inside the folder it masters; write it elsewhere").ConfigureAwait(false);
            return 2;
        }

        Console.WriteLine($"mastering {plan.Folder} ({plan.FileCount:N0} files, {plan.DirectoryCount:N0} folders) as volume {plan.VolumeId}: {plan.Blocks:N0} blocks ({plan.Bytes:N0} bytes)");
        try
        {
            var sha256 = await WriteImageAsync(plan, image, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"wrote {output}: {plan.Blocks:N0} blocks");
            Console.WriteLine($"sha256 {sha256}");
            return 0;
        }
        catch (Exception failure) when (failure is DeviceException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"farm master: {Describe(failure, output)}").ConfigureAwait(false);
            return 2;
        }
    }

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
    internal static async Task<string> WriteImageAsync(IsoImagePlan plan, string output, CancellationToken cancellationToken)
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
    private static async Task<string> WriteAsync(IsoImagePlan plan, string output, CancellationToken cancellationToken)
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
