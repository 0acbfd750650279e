namespace Farm.Device.Tests.Mastering;

/// <summary>An extracted tree against its source: the same paths, sizes and bytes.</summary>
internal static class TreeAssert
{
    /// <summary>The tree as paths with sizes, folders with a slash: what an extraction must equal.</summary>
    public static string[] Listing(string root) =>
        [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path) + (Directory.Exists(path) ? "/" : $" {new FileInfo(path).Length}"))
            .Order(StringComparer.Ordinal)];

    /// <summary>Every file and folder under <paramref name="root"/> is under <paramref name="copy"/> with the same bytes, and nothing else is.</summary>
    public static void SameFiles(string root, string copy)
    {
        Assert.Equal(Listing(root), Listing(copy));
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
        {
            var other = Path.Combine(copy, Path.GetRelativePath(root, file));
            Assert.True(File.ReadAllBytes(file).AsSpan().SequenceEqual(File.ReadAllBytes(other)), $"{other} differs from {file}");
        }
    }
}
