using System.Buffers.Binary;

namespace Farm.Device.Mastering;

/// <summary>
/// ECMA-119 8: the 2048-byte volume descriptors from block 16 on. The Primary Volume Descriptor
/// (8.4, type 1) and the Joliet Supplementary Volume Descriptor (8.5, type 2, with the UCS-2
/// level 3 escape sequence "%/E" in its escape sequences field) share one layout; the
/// terminator (8.3, type 255) ends the set.
/// </summary>
internal static class VolumeDescriptor
{
    public const byte PrimaryType = 1;
    public const byte SupplementaryType = 2;
    public const byte TerminatorType = 255;

    /// <summary>8.4.2: the standard identifier of every descriptor.</summary>
    public static readonly byte[] StandardIdentifier = "CD001"u8.ToArray();

    /// <summary>Joliet: the escape sequence of UCS-2 level 3 (25h 2Fh 45h).</summary>
    public static readonly byte[] JolietLevel3 = "%/E"u8.ToArray();

    /// <summary>What a Primary or Joliet descriptor says about its tree.</summary>
    internal sealed record Fields(
        string VolumeId,
        long VolumeBlocks,
        long PathTableBytes,
        long TypeLPathTableLba,
        long TypeMPathTableLba,
        IsoDirectory Root,
        DateTimeOffset Created);

    /// <summary>8.4 / 8.5, by byte offset (BP-1).</summary>
    public static byte[] Build(IsoTree tree, Fields fields)
    {
        var joliet = tree == IsoTree.Joliet;
        var block = new byte[IsoLayout.BlockSize];
        var span = block.AsSpan();
        Header(span, joliet ? SupplementaryType : PrimaryType);
        Text(span[8..40], "", joliet);                                   // 8.4.5 system identifier
        Text(span[40..72], fields.VolumeId, joliet);                     // 8.4.6 volume identifier
        IsoBytes.BothEndian32(span[80..], fields.VolumeBlocks);         // 8.4.8 volume space size
        if (joliet)
        {
            JolietLevel3.CopyTo(span[88..]);                             // 8.5.6 escape sequences
        }

        IsoBytes.BothEndian16(span[120..], 1);                           // 8.4.10 volume set size
        IsoBytes.BothEndian16(span[124..], 1);                           // 8.4.11 volume sequence number
        IsoBytes.BothEndian16(span[128..], IsoLayout.BlockSize);         // 8.4.12 logical block size
        IsoBytes.BothEndian32(span[132..], fields.PathTableBytes);      // 8.4.13 path table size
        Little32(span[140..], fields.TypeLPathTableLba);       // 8.4.14 type L path table
        Big32(span[148..], fields.TypeMPathTableLba);          // 8.4.16 type M path table
        var root = fields.Root.In(tree);                                 // 8.4.18 root directory record
        DirectoryRecord.Write(span[156..190], DirectoryRecord.Self, root.Lba, root.Bytes, fields.Root.Modified, DirectoryRecord.DirectoryFlag);
        Text(span[190..318], fields.VolumeId, joliet);                   // 8.4.19 volume set identifier
        Text(span[318..446], "", joliet);                                // 8.4.20 publisher
        Text(span[446..574], "", joliet);                                // 8.4.21 data preparer
        Text(span[574..702], "BURNFARM", joliet);                        // 8.4.22 application
        Text(span[702..739], "", joliet);                                // 8.4.23 copyright file
        Text(span[739..776], "", joliet);                                // 8.4.24 abstract file
        Text(span[776..813], "", joliet);                                // 8.4.25 bibliographic file
        IsoBytes.LongDate(span[813..830], fields.Created);               // 8.4.26 creation
        IsoBytes.LongDate(span[830..847], fields.Created);               // 8.4.27 modification
        IsoBytes.LongDate(span[847..864], null);                         // 8.4.28 expiration: none
        IsoBytes.LongDate(span[864..881], null);                         // 8.4.29 effective: at once
        span[881] = 1;                                                   // 8.4.31 file structure version
        return block;
    }

    /// <summary>8.3: the Volume Descriptor Set Terminator.</summary>
    public static byte[] Terminator()
    {
        var block = new byte[IsoLayout.BlockSize];
        Header(block, TerminatorType);
        return block;
    }

    // 8.1: type, "CD001", version 1.
    private static void Header(Span<byte> block, byte type)
    {
        block[0] = type;
        StandardIdentifier.CopyTo(block[1..]);
        block[6] = 1;
    }

    private static void Text(Span<byte> field, string text, bool joliet)
    {
        if (joliet)
        {
            IsoBytes.PaddedUcs2(field, text);
        }
        else
        {
            IsoBytes.Padded(field, text.ToUpperInvariant());
        }
    }

    private static void Little32(Span<byte> field, long value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)value));

    private static void Big32(Span<byte> field, long value) =>
        BinaryPrimitives.WriteUInt32BigEndian(field, checked((uint)value));
}
