using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Device.Mmc;
using Farm.Messages.Jobs;

namespace Farm.Controller.Api;

/// <summary>
/// An append job (<c>"append": true</c> with <c>"folder"</c>, optionally <c>"close": true</c>): the
/// folder added as a new session to appendable discs the towers feed. The folder must be an
/// absolute path to a folder (inside the image roots when the controller has them), the media a
/// kind that takes sessions (CD-R/RW, DVD±R, DVD-RW sequential, BD-R), and the folder's files must
/// fit a blank one as a first session (each node plans the real session for the disc it loads,
/// importing that disc's last session, and refuses a disc it does not fit).
/// </summary>
internal static class AppendSubmission
{
    /// <summary>The job's source and the session's blocks as a first session (progress and capacity), or null with the problems added.</summary>
    public static (JobSource Source, long Blocks)? Check(SubmitJobBody body, ProfileInfo? medium, IReadOnlyList<string> roots, Action<string, string> add, ref ImapiError? imapi)
    {
        if (!body.Append && body.Folder is null)
        {
            add("close", "close ends an append job's sessions: give it with \"append\": true and \"folder\"");
            return null;
        }

        if (!body.Append)
        {
            add("folder", "folder names what an append job adds to appendable discs: give \"append\": true with it (a folder to burn on blanks is mastered first: farm submit FOLDER)");
            return null;
        }

        if (body.Image is not null || body.Images is not null || body.Audio is not null || body.MasteredFrom is not null)
        {
            add("append", "an append job adds its folder as a session: give folder, not image, images, audio or masteredFrom");
        }

        if (medium is not null && medium.Rewritable && !medium.SequentialOnly)
        {
            add("media", $"sessions are appended to CD-R/RW, DVD±R, DVD-RW (sequential) or BD-R, not {medium.Name}, which is overwritten in place");
        }

        if (body.Folder is not { } folder || string.IsNullOrWhiteSpace(folder) || !Path.IsPathFullyQualified(folder))
        {
            add("folder", $"an append job needs the folder to add, as an absolute path on the controller's and nodes' file system, not '{body.Folder}'");
            return null;
        }

        if (roots.Count > 0 && !InsideRoots(folder, roots))
        {
            add("folder", $"folder '{folder}' is outside the controller's image roots; it must be in {string.Join(" or ", roots)} (farm serve --image-root)");
            return null;
        }

        if (!Directory.Exists(folder))
        {
            add("folder", $"'{folder}' is not a folder on the controller's file system; give the folder whose files the new session adds");
            return null;
        }

        try
        {
            var plan = IsoImagePlan.Create(folder, IsoMasteringOptions.Default with { CapacityBlocks = medium?.CapacityBlocks });
            return (new JobSource(SourceKind.Append, Path.GetFullPath(folder), CloseDisc: body.Close), plan.Blocks);
        }
        catch (DeviceException bad)
        {
            imapi ??= bad.Error.Error;
            add("folder", bad.Error.ToString());
            return null;
        }
    }

    private static bool InsideRoots(string folder, IReadOnlyList<string> roots)
    {
        try
        {
            var real = RealPaths.Of(folder);
            return roots.Any(root => RealPaths.IsUnder(real, root));
        }
        catch (Exception bad) when (bad is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
