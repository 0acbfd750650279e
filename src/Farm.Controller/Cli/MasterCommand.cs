using System.CommandLine;
using Farm.Controller.Mastering;
using Farm.Device.Errors;
using Farm.Device.Mastering;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm master FOLDER -o IMAGE [--volume-id NAME] [--udf [--udf-revision 1.02|2.01|2.50]]
/// [--filesystem iso-joliet|udf|bridge]</c>: an ISO 9660 + Joliet image of a folder (the
/// default), a UDF image, or the UDF bridge (both over the same file data), planned first (its
/// size is printed before a byte is written), then streamed to the file while it is hashed. Bad
/// input (a missing folder, a name the file system cannot hold, a file that changed while it
/// was read) prints the error and exits 2, and no partial image is left behind. Exit codes: 0
/// mastered, 1 bad usage (the parser's), 2 bad input or contradictory options.
/// </summary>
public static class MasterCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("FOLDER") { Description = "Folder to master" };
        var output = new Option<string>("--output", "-o") { Description = "Image file to write (.iso, .udf)", Required = true };
        var volumeId = new Option<string?>("--volume-id") { Description = "Volume label (default: the folder's name)" };
        var udf = new Option<bool>("--udf") { Description = "Master UDF alone (the BD format; files over 4 GiB, long Unicode names, no depth limit); same as --filesystem udf" };
        var revision = new Option<string?>("--udf-revision") { Description = "UDF revision: 1.02 (default), 2.01 or 2.50 (metadata partition)" };
        var fileSystem = new Option<string?>("--filesystem") { Description = "iso-joliet (default), udf, or bridge (UDF + ISO 9660/Joliet over the same data, the DVD format)" };
        var command = new Command("master", "Master a folder into an ISO 9660 + Joliet, UDF or UDF bridge image") { folder, output, volumeId, udf, revision, fileSystem };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(folder)!,
            result.GetValue(output)!,
            new FileSystemChoice(result.GetValue(fileSystem), result.GetValue(udf), result.GetValue(revision), result.GetValue(volumeId)),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string folder, string output, FileSystemChoice choice, CancellationToken cancellationToken)
    {
        ImagePlan plan;
        try
        {
            plan = choice.Plan(folder);
        }
        catch (ArgumentException usage)
        {
            await Console.Error.WriteLineAsync($"farm master: {usage.Message}").ConfigureAwait(false);
            return 2;
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

        Console.WriteLine($"mastering {plan.Folder} ({plan.FileCount:N0} files, {plan.DirectoryCount:N0} folders) as volume {plan.VolumeId} ({plan.Format}): {plan.Blocks:N0} blocks ({plan.Bytes:N0} bytes)");
        try
        {
            var sha256 = await ImageFiles.WriteImageAsync(plan, image, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"wrote {output}: {plan.Blocks:N0} blocks");
            Console.WriteLine($"sha256 {sha256}");
            return 0;
        }
        catch (Exception failure) when (failure is DeviceException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"farm master: {ImageFiles.Describe(failure, output)}").ConfigureAwait(false);
            return 2;
        }
    }
}
