using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Device.Mmc;

namespace Farm.Controller.Mastering;

/// <summary>
/// The folders among a job's sources, mastered into images (ISO 9660 + Joliet, UDF or the bridge,
/// as <see cref="FileSystemChoice"/> says) before the job is submitted: every copy then burns the same immutable image (one checksum for the audit trail),
/// however long the job runs and whatever happens to the folder meanwhile.
/// </summary>
internal static class FolderSources
{
    /// <summary>
    /// Returns the sources with each folder replaced by its image, and the folder when the job is
    /// one folder (its source is then recorded as that folder). The image is too large for the
    /// medium: an error before anything is written.
    /// </summary>
    public static async Task<(string[] Images, string? Folder)> MasterAsync(string[] sources, string? masterTo, string mediaType, TextWriter output, CancellationToken cancellationToken, FileSystemChoice? fileSystem = null)
    {
        fileSystem ??= new FileSystemChoice(null, false, null, null);
        var chosen = fileSystem.Resolve();
        ArgumentNullException.ThrowIfNull(sources);
        var folders = sources.Where(Directory.Exists).ToList();
        if (folders.Count == 0)
        {
            return (sources, null);
        }

        if (masterTo is not null && folders.Count > 1)
        {
            throw new ArgumentException("--master-to names one image, but the job has several folders; master them with farm master and submit the images");
        }

        long? capacity = Profiles.TryParse(mediaType, out var medium) ? medium.CapacityBlocks : null;
        var images = new string[sources.Length];
        for (var i = 0; i < sources.Length; i++)
        {
            images[i] = Directory.Exists(sources[i])
                ? await MasterOneAsync(sources[i], masterTo, capacity, mediaType, fileSystem, chosen, output, cancellationToken).ConfigureAwait(false)
                : sources[i];
        }

        return (images, sources.Length == 1 ? Path.GetFullPath(folders[0]) : null);
    }

    private static async Task<string> MasterOneAsync(string folder, string? masterTo, long? capacity, string mediaType, FileSystemChoice fileSystem, string chosen, TextWriter output, CancellationToken cancellationToken)
    {
        ImagePlan plan = chosen == FileSystemChoice.IsoJoliet
            ? IsoImagePlan.Create(folder, new IsoMasteringOptions { CapacityBlocks = capacity })
            : fileSystem.Plan(folder);
        if (capacity is { } blocks && plan.Blocks > blocks)
        {
            throw new ArgumentException($"{ImapiErrors.V1DiscFull}: the {plan.Format} image of {plan.Folder} needs {plan.Blocks:N0} blocks but {mediaType} media hold {blocks:N0}; remove files from the folder or use larger media");
        }

        var image = Path.GetFullPath(masterTo ?? Path.TrimEndingDirectorySeparator(plan.Folder) + (chosen == FileSystemChoice.IsoJoliet ? ".iso" : ".udf"));
        if (File.Exists(image))
        {
            throw new ArgumentException($"{image} already exists; remove it, or name another image with --master-to (an image is never overwritten: a job may be burning it)");
        }

        if (plan.Contains(image))
        {
            throw new ArgumentException($"the image {image} would be inside the folder it masters; write it elsewhere with --master-to");
        }

        await output.WriteLineAsync($"mastering {plan.Folder} ({plan.FileCount:N0} files) for {mediaType} as {plan.Format}: {plan.Blocks:N0} blocks").ConfigureAwait(false);
        try
        {
            var sha256 = await ImageFiles.WriteImageAsync(plan, image, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"mastered {image}: sha256 {sha256}").ConfigureAwait(false);
            return image;
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw new IOException(ImageFiles.Describe(failure, image), failure);
        }
    }
}
