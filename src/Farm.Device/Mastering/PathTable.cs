using System.Buffers.Binary;

namespace Farm.Device.Mastering;

/// <summary>
/// ECMA-119 9.4: a path table, one record per directory in directory-number order (6.9.1: by
/// level, then by parent's number, then by identifier). Record offsets: 0 length of directory
/// identifier, 1 extended attribute record length, 2 location of extent (4 bytes), 6 parent
/// directory number (2 bytes), 8 directory identifier, then a pad byte when its length is odd.
/// The type L table writes its numbers little-endian (7.3.1, 7.2.1), the type M table
/// big-endian (7.3.2, 7.2.2); the root's identifier is 00h and it is its own parent.
/// </summary>
internal static class PathTable
{
    /// <summary>9.4: 8 fixed bytes, the identifier, a pad byte when its length is odd.</summary>
    public static int RecordLength(int identifierLength) => 8 + identifierLength + (identifierLength % 2);

    /// <summary>The table's size in bytes (the Path Table Size field, 8.4.14), not rounded to blocks.</summary>
    public static long Size(IReadOnlyList<IsoDirectory> numbered, IsoTree tree) =>
        numbered.Sum(directory => (long)RecordLength(RootOr(directory, tree).Length));

    /// <summary>The table's bytes, padded with zeros to <paramref name="blocks"/> blocks.</summary>
    public static byte[] Build(IReadOnlyList<IsoDirectory> numbered, IsoTree tree, bool bigEndian, long blocks)
    {
        var bytes = new byte[blocks * IsoLayout.BlockSize];
        var at = 0;
        foreach (var directory in numbered)
        {
            at += Write(bytes.AsSpan(at), directory, tree, bigEndian);
        }

        return bytes;
    }

    /// <summary>One record; returns its length.</summary>
    public static int Write(Span<byte> destination, IsoDirectory directory, IsoTree tree, bool bigEndian)
    {
        var identifier = RootOr(directory, tree);
        var extent = directory.In(tree);
        var parentNumber = (directory.Parent ?? directory).In(tree).Number;
        var record = destination[..RecordLength(identifier.Length)];
        record.Clear();
        record[0] = (byte)identifier.Length;
        record[1] = 0;
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(record[2..], checked((uint)extent.Lba));
            BinaryPrimitives.WriteUInt16BigEndian(record[6..], checked((ushort)parentNumber));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(record[2..], checked((uint)extent.Lba));
            BinaryPrimitives.WriteUInt16LittleEndian(record[6..], checked((ushort)parentNumber));
        }

        identifier.CopyTo(record[8..]);
        return record.Length;
    }

    // 9.4.4: the root's identifier in the path table is one byte 00h, as in its "." record.
    private static ReadOnlySpan<byte> RootOr(IsoDirectory directory, IsoTree tree) =>
        directory.Parent is null ? DirectoryRecord.Self : directory.Identifier(tree);
}
