using System.Buffers.Binary;

namespace Farm.Device.Mastering;

/// <summary>
/// The file structure of ECMA-167 part 4 as UDF 2.3 profiles it: the File Set Descriptor
/// (4/14.1), File Entries (4/14.9, with their ICB tag 4/14.6, strategy 4) and a folder's File
/// Identifier Descriptors (4/14.4). Offsets are the standard's byte positions (BP).
/// </summary>
internal static class UdfEntries
{
    // ECMA-167 4/7.2.1 tag identifiers.
    public const ushort FileSetTag = 256;
    public const ushort FileIdentifierTag = 257;
    public const ushort TerminatingTag = 8; // 3/10.9, also ends the file set descriptor sequence (4/8.3.1)
    public const ushort FileEntryTag = 261;

    // 4/14.6.6 file types.
    public const byte DirectoryType = 4;
    public const byte FileType = 5;
    public const byte MetadataFileType = 250;     // UDF 2.50 2.2.13.1
    public const byte MetadataMirrorType = 251;

    // 4/14.4.3 file characteristics.
    private const byte DirectoryCharacteristic = 0x02;
    private const byte ParentCharacteristic = 0x08;

    // 4/14.9.5 permissions: read (and execute for folders) for others, group and owner; a pressed disc is not written.
    private const uint FilePermissions = 0x1084;
    private const uint DirectoryPermissions = 0x14A5;

    /// <summary>4/14.4: a File Identifier Descriptor's length, padded to 4 bytes (no implementation use).</summary>
    public static int IdentifierLength(int identifierBytes) => (38 + identifierBytes + 3) / 4 * 4;

    /// <summary>A folder's identifiers: the parent entry (4/14.4.3), then one per child.</summary>
    public static long DirectoryBytes(IsoDirectory directory) =>
        IdentifierLength(0) + directory.Children.Sum(child => (long)IdentifierLength(child.UdfIdentifier.Length));

    /// <summary>4/14.1: the File Set Descriptor, in the first block of the entry space.</summary>
    public static byte[] FileSet(UdfLayout layout, string label, DateTimeOffset created)
    {
        var block = new byte[BlockSize];
        var span = block.AsSpan();
        UdfBytes.Timestamp(span[16..], created);                                   // 14.1.2 recording time
        BinaryPrimitives.WriteUInt16LittleEndian(span[28..], 3);                   // 14.1.3 interchange level
        BinaryPrimitives.WriteUInt16LittleEndian(span[30..], 3);                   // 14.1.4 maximum
        BinaryPrimitives.WriteUInt32LittleEndian(span[32..], 1);                   // 14.1.5 character set list: CS0
        BinaryPrimitives.WriteUInt32LittleEndian(span[36..], 1);                   // 14.1.6 maximum
        UdfBytes.Charspec(span[48..]);                                             // 14.1.9
        UdfBytes.Dstring(span[112..240], label);                                   // 14.1.10 logical volume identifier
        UdfBytes.Charspec(span[240..]);                                            // 14.1.11
        UdfBytes.Dstring(span[304..336], label);                                   // 14.1.12 file set identifier
        UdfBytes.LongAd(span[400..], BlockSize, layout.Root.UdfEntryBlock, layout.EntryPartition); // 14.1.15 root ICB
        UdfBytes.Regid(span[416..], "*OSTA UDF Compliant", UdfBytes.DomainSuffix(layout.Revision)); // 14.1.16
        UdfBytes.Tag(span[..512], FileSetTag, Version(layout), 0);
        return block;
    }

    /// <summary>4/8.3.1: the terminator of the file set descriptor sequence, in the entry space's second block.</summary>
    public static byte[] FileSetTerminator(UdfLayout layout)
    {
        var block = new byte[BlockSize];
        UdfBytes.Tag(block.AsSpan(0, 512), TerminatingTag, Version(layout), 1);
        return block;
    }

    /// <summary>A folder's File Entry: its identifiers are one run of the entry space, just after it.</summary>
    public static byte[] Directory(UdfLayout layout, IsoDirectory directory)
    {
        var links = 1 + directory.Children.Count(child => child is IsoDirectory); // its own name, and each child's parent entry
        var extents = UdfLayout.Extents(directory.UdfDirectoryBytes)
            .Select(extent => (extent.Length, directory.UdfDirectoryBlock + (extent.Offset / BlockSize), layout.EntryPartition));
        return Entry(layout, directory, DirectoryType, DirectoryPermissions, links, directory.UdfDirectoryBytes, extents);
    }

    /// <summary>A file's File Entry: its data is one contiguous run of the physical partition, in extents under 1 GiB.</summary>
    public static byte[] File(UdfLayout layout, IsoFile file)
    {
        var start = file.Lba - UdfLayout.PartitionStart;
        var extents = UdfLayout.Extents(file.Size).Select(extent => (extent.Length, start + (extent.Offset / BlockSize), 0));
        return Entry(layout, file, FileType, FilePermissions, 1, file.Size, extents);
    }

    /// <summary>UDF 2.50 2.2.13: the metadata file (or its mirror) in the physical partition, mapping the metadata partition.</summary>
    public static byte[] MetadataFile(UdfLayout layout, byte type, long block, DateTimeOffset created)
    {
        var bytes = layout.MetadataBlocks * BlockSize;
        var extents = UdfLayout.Extents(bytes).Select(extent => (extent.Length, layout.MetadataStart + (extent.Offset / BlockSize), 0));
        return Entry(layout, null, type, 0, 1, bytes, extents, (block, created));
    }

    /// <summary>4/14.4: the folder's File Identifier Descriptors, as many blocks as planned.</summary>
    public static byte[] Identifiers(UdfLayout layout, IsoDirectory directory)
    {
        var bytes = new byte[UdfLayout.Blocks(directory.UdfDirectoryBytes) * BlockSize];
        var at = Identifier(layout, bytes, 0, directory, directory.Parent ?? directory, [], ParentCharacteristic | DirectoryCharacteristic);
        foreach (var child in directory.Children)
        {
            at = Identifier(layout, bytes, at, directory, child, child.UdfIdentifier, child is IsoDirectory ? DirectoryCharacteristic : (byte)0);
        }

        return bytes;
    }

    private static int BlockSize => UdfLayout.BlockSize;

    /// <summary>3/7.2.2: descriptor version 2 for NSR02 (UDF 1.02), 3 for NSR03 (UDF 2.00 on).</summary>
    public static ushort Version(UdfLayout layout) => layout.Revision >= UdfRevision.V201 ? (ushort)3 : (ushort)2;

    private static int Identifier(UdfLayout layout, byte[] bytes, int at, IsoDirectory directory, IsoNode target, byte[] identifier, byte characteristics)
    {
        var length = IdentifierLength(identifier.Length);
        var span = bytes.AsSpan(at, length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 1);                   // 14.4.2 file version number
        span[18] = characteristics;                                                // 14.4.3
        span[19] = (byte)identifier.Length;                                        // 14.4.4
        // 14.4.5 ICB; UDF 2.00+ (2.3.4.3) keeps the entry's unique ID in the long_ad's implementation use.
        var uniqueId = layout.Revision >= UdfRevision.V201 ? (uint)target.UdfUniqueId : 0;
        UdfBytes.LongAd(span[20..], BlockSize, target.UdfEntryBlock, layout.EntryPartition, uniqueId);
        identifier.CopyTo(span[38..]);                                             // 14.4.8 (L_IU = 0)
        var block = directory.UdfDirectoryBlock + (at / BlockSize);                // 14.4.1 tag location: where the descriptor starts
        UdfBytes.Tag(span, FileIdentifierTag, Version(layout), block);
        return at + length;
    }

    /// <summary>4/14.9 by byte position; short_ads in the physical partition, long_ads when a metadata partition is used.</summary>
    private static byte[] Entry(
        UdfLayout layout,
        IsoNode? node,
        byte fileType,
        uint permissions,
        int links,
        long length,
        IEnumerable<(long Length, long Block, int Partition)> extents,
        (long Block, DateTimeOffset Time)? metadata = null)
    {
        var block = new byte[BlockSize];
        var span = block.AsSpan();
        var longAds = layout.HasMetadataPartition && metadata is null;
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 4);                   // 14.6.2 strategy type 4
        BinaryPrimitives.WriteUInt16LittleEndian(span[24..], 1);                   // 14.6.4 maximum entries
        span[27] = fileType;                                                       // 14.6.6
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], longAds ? (ushort)1 : (ushort)0); // 14.6.8 allocation descriptor type
        BinaryPrimitives.WriteUInt32LittleEndian(span[36..], uint.MaxValue);       // 14.9.3 uid: none (UDF 3.3.3.1)
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], uint.MaxValue);       // 14.9.4 gid: none
        BinaryPrimitives.WriteUInt32LittleEndian(span[44..], permissions);         // 14.9.5
        BinaryPrimitives.WriteUInt16LittleEndian(span[48..], checked((ushort)links)); // 14.9.6 file link count
        BinaryPrimitives.WriteUInt64LittleEndian(span[56..], (ulong)length);       // 14.9.10 information length
        BinaryPrimitives.WriteUInt64LittleEndian(span[64..], (ulong)UdfLayout.Blocks(length)); // 14.9.11 logical blocks recorded
        var time = node?.Modified ?? metadata!.Value.Time;
        UdfBytes.Timestamp(span[72..], time);                                      // 14.9.12 access
        UdfBytes.Timestamp(span[84..], time);                                      // 14.9.13 modification
        UdfBytes.Timestamp(span[96..], time);                                      // 14.9.14 attribute
        BinaryPrimitives.WriteUInt32LittleEndian(span[108..], 1);                  // 14.9.15 checkpoint
        UdfBytes.Implementation(span[128..]);                                      // 14.9.17
        BinaryPrimitives.WriteUInt64LittleEndian(span[160..], (ulong)(node?.UdfUniqueId ?? 0)); // 14.9.18 unique ID
        var at = UdfLayout.FileEntryHeaderBytes;                                   // 14.9.19 L_EA = 0
        foreach (var (bytes, start, partition) in extents)
        {
            if (longAds)
            {
                UdfBytes.LongAd(span[at..], bytes, start, partition);
                at += 16;
            }
            else
            {
                UdfBytes.ShortAd(span[at..], bytes, start);
                at += 8;
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[172..], (uint)(at - UdfLayout.FileEntryHeaderBytes)); // 14.9.20 L_AD
        var location = node?.UdfEntryBlock ?? metadata!.Value.Block;
        UdfBytes.Tag(span[..at], FileEntryTag, Version(layout), location);
        return block;
    }
}
