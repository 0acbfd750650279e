namespace Farm.Controller.Api;

/// <summary>
/// A path with every symbolic link in it resolved (as realpath(3) does), so "inside an image root"
/// is decided on where a file really is, not on how its name is spelled (<c>..</c>, links).
/// </summary>
public static class RealPaths
{
    /// <summary>More links than this in one path is a loop.</summary>
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var links = 0;
        while (true)
        {
            var root = Path.GetPathRoot(full)!;
            var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var resolved = root;
            string? relinked = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Combine(resolved, parts[i]);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.LinkTarget is { } target)
                {
                    if (++links > MaxLinks)
                    {
                        throw new IOException($"too many symbolic links in '{path}'");
                    }

                    // The link's target, then the rest of the path, resolved again from the start.
                    var targetPath = Path.GetFullPath(target, resolved);
                    relinked = Path.Combine([targetPath, .. parts[(i + 1)..]]);
                    break;
                }

                resolved = next;
            }

            if (relinked is null)
            {
                return resolved;
            }

            full = relinked;
        }
    }

    /// <summary>Whether <paramref name="realPath"/> is in <paramref name="realRoot"/> (both real paths) or below it.</summary>
    public static bool IsUnder(string realPath, string realRoot)
    {
        ArgumentNullException.ThrowIfNull(realPath);
        ArgumentNullException.ThrowIfNull(realRoot);
        var root = realRoot.EndsWith(Path.DirectorySeparatorChar) ? realRoot : realRoot + Path.DirectorySeparatorChar;
        return realPath.StartsWith(root, StringComparison.Ordinal);
    }
}
