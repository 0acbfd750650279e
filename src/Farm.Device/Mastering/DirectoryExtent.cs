namespace Farm.Device.Mastering;

/// <summary>
/// ECMA-119 6.8.1 and 9.3: a directory's extent, in one tree: the "." and ".." records, then one
/// record per child in the tree's order; a record that would cross a block boundary starts the
/// next block instead (6.8.1.1: the rest of the block is zeros). The extent is a whole number of
/// blocks. <see cref="Measure"/> and <see cref="Build"/> walk the same placement, so the planned
/// size is the written size.
/// </summary>
internal static class DirectoryExtent
{
    /// <summary>The bytes the extent takes (a multiple of 2048), without building it.</summary>
    public static long Measure(IsoTree tree, IReadOnlyList<IsoNode> ordered)
    {
        long end = 0;
        foreach (var identifierLength in IdentifierLengths(tree, ordered))
        {
            end = Place(end, DirectoryRecord.Length(identifierLength)) + DirectoryRecord.Length(identifierLength);
        }

        return RoundUp(end);
    }

    /// <summary>The extent's bytes; its size is proportional to the folder's entries.</summary>
    public static byte[] Build(IsoDirectory directory, IsoTree tree)
    {
        var extent = directory.In(tree);
        var bytes = new byte[extent.Bytes];
        var parent = directory.Parent ?? directory; // the root is its own parent (6.8.2.2)
        var at = Write(bytes, 0, DirectoryRecord.Self, extent, directory.Modified);
        at = Write(bytes, at, DirectoryRecord.ParentOf, parent.In(tree), parent.Modified);
        foreach (var child in extent.Ordered)
        {
            var identifier = child.Identifier(tree);
            var length = DirectoryRecord.Length(identifier.Length);
            if (child is IsoDirectory sub)
            {
                at = Write(bytes, Place(at, length), identifier, sub.In(tree), sub.Modified);
                continue;
            }

            // A file: one record per extent, all but the last flagged multi-extent (9.1.6 bit 7).
            var file = (IsoFile)child;
            for (var index = 0; index < file.ExtentCount; index++)
            {
                var (lba, bytesInExtent) = file.Extent(index);
                var flags = index < file.ExtentCount - 1 ? DirectoryRecord.MultiExtentFlag : (byte)0;
                at = Place(at, length);
                at += DirectoryRecord.Write(bytes.AsSpan((int)at), identifier, lba, bytesInExtent, file.Modified, flags);
            }
        }

        return bytes;
    }

    private static long Write(byte[] bytes, long at, ReadOnlySpan<byte> identifier, IsoDirectory.Extent target, DateTimeOffset modified) =>
        at + DirectoryRecord.Write(bytes.AsSpan((int)at), identifier, target.Lba, target.Bytes, modified, DirectoryRecord.DirectoryFlag);

    private static IEnumerable<int> IdentifierLengths(IsoTree tree, IReadOnlyList<IsoNode> ordered)
    {
        yield return DirectoryRecord.Self.Length;
        yield return DirectoryRecord.ParentOf.Length;
        foreach (var child in ordered)
        {
            for (var extent = child is IsoFile file ? file.ExtentCount : 1; extent > 0; extent--)
            {
                yield return child.IdentifierLength(tree);
            }
        }
    }

    /// <summary>Where a record of this length starts if the previous one ended at <paramref name="end"/>.</summary>
    private static long Place(long end, int length)
    {
        var left = IsoLayout.BlockSize - (end % IsoLayout.BlockSize);
        return length > left ? end + left : end;
    }

    private static long RoundUp(long bytes) => (bytes + IsoLayout.BlockSize - 1) / IsoLayout.BlockSize * IsoLayout.BlockSize;
}
