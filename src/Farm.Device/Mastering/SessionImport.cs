namespace Farm.Device.Mastering;

/// <summary>
/// What a new session takes from the previous one: the old tree with the folder's entries laid
/// over it. A path in both is the folder's (the file replaced; two folders merged entry by entry);
/// a path only in the old tree is kept, its file referenced at its old extent.
/// </summary>
/// <param name="Added">Files of the folder that the previous session did not have.</param>
/// <param name="Replaced">Old entries a file or folder of the same path replaced.</param>
/// <param name="Kept">Old files referenced at their extents, not written again.</param>
public sealed record SessionImport(int Added, int Replaced, int Kept)
{
    /// <summary>Lays <paramref name="root"/> (the scanned folder) over <paramref name="previous"/>; the scanned tree becomes the merged one.</summary>
    internal static SessionImport Merge(IsoDirectory root, PreviousEntry previous)
    {
        var counts = new int[3];
        Merge(root, previous, counts);
        return new SessionImport(counts[0], counts[1], counts[2]);
    }

    private static void Merge(IsoDirectory directory, PreviousEntry previous, int[] counts)
    {
        var fresh = directory.Children.ToDictionary(c => c.Name, StringComparer.Ordinal);
        foreach (var child in directory.Children)
        {
            var old = previous.Children.FirstOrDefault(o => string.Equals(o.Name, child.Name, StringComparison.Ordinal));
            switch (child, old)
            {
                case (IsoDirectory sub, { IsDirectory: true }):
                    Merge(sub, old, counts);
                    break;
                case (IsoDirectory sub, null):
                    counts[0] += CountFiles(sub);
                    break;
                case (IsoDirectory sub, _):
                    counts[0] += CountFiles(sub);
                    counts[1]++;
                    break;
                case (IsoFile, null):
                    counts[0]++;
                    break;
                default:
                    counts[1]++;
                    break;
            }
        }

        foreach (var old in previous.Children.Where(o => !fresh.ContainsKey(o.Name)))
        {
            directory.Children.Add(Import(old, directory, counts));
        }

        directory.Children.Sort((a, b) => a.NameSpan.SequenceCompareTo(b.NameSpan));
    }

    private static IsoNode Import(PreviousEntry old, IsoDirectory parent, int[] counts)
    {
        if (!old.IsDirectory)
        {
            counts[2]++;
            return IsoFile.FromPreviousSession(old.Name, old.Modified, old.Size, old.Lba, parent);
        }

        // A folder only the old session has: nothing is read from its source path.
        var folder = new IsoDirectory(string.Empty, old.Name, old.Modified, parent);
        foreach (var child in old.Children)
        {
            folder.Children.Add(Import(child, folder, counts));
        }

        folder.Children.Sort((a, b) => a.NameSpan.SequenceCompareTo(b.NameSpan));
        return folder;
    }

    private static int CountFiles(IsoDirectory directory) =>
        directory.Children.Sum(c => c is IsoDirectory sub ? CountFiles(sub) : 1);
}
