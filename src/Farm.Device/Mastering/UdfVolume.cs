using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Farm.Device.Mastering;

/// <summary>
/// The volume structure of ECMA-167 parts 2 and 3 as UDF 2.2 profiles it: the Volume Recognition
/// Sequence (2/9), the Volume Descriptor Sequence (Primary, Implementation Use with the UDF
/// logical volume information, Partition, Logical Volume, Unallocated Space, Terminating), the
/// Logical Volume Integrity Descriptor (closed) and the Anchor. Each descriptor takes its own
/// 2048-byte block. Offsets are the standard's byte positions (BP).
/// </summary>
internal sealed class UdfVolume(UdfLayout layout, string label, DateTimeOffset created)
{
    // ECMA-167 3/7.2.1 tag identifiers.
    private const ushort PrimaryTag = 1;
    private const ushort AnchorTag = 2;
    private const ushort ImplementationUseTag = 4;
    private const ushort PartitionTag = 5;
    private const ushort LogicalVolumeTag = 6;
    private const ushort UnallocatedSpaceTag = 7;
    private const ushort IntegrityTag = 9;

    private static int BlockSize => UdfLayout.BlockSize;

    private ushort Version => UdfEntries.Version(layout);

    /// <summary>2/9.1: BEA01, NSR02 or NSR03 (3/9.1), TEA01; each a 2048-byte block (structure type 0, version 1).</summary>
    public IEnumerable<byte[]> RecognitionSequence()
    {
        var nsr = layout.Revision >= UdfRevision.V201 ? "NSR03" : "NSR02";
        foreach (var identifier in (string[])["BEA01", nsr, "TEA01"])
        {
            var block = new byte[BlockSize];
            Encoding.ASCII.GetBytes(identifier, block.AsSpan(1));
            block[6] = 1;
            yield return block;
        }
    }

    /// <summary>
    /// 3/8.4.2: the descriptor sequence, padded to its 16 blocks (UDF 2.2.3); the reserve copy
    /// is the same descriptors at their own locations (tags name where they are).
    /// </summary>
    public byte[] DescriptorSequence(long start)
    {
        var blocks = new byte[UdfLayout.VdsBlocks * BlockSize];
        var span = blocks.AsSpan();
        Primary(span[..BlockSize], start);
        ImplementationUse(span[BlockSize..], start + 1);
        Partition(span[(2 * BlockSize)..], start + 2);
        LogicalVolume(span[(3 * BlockSize)..], start + 3);
        UnallocatedSpace(span[(4 * BlockSize)..], start + 4);
        UdfBytes.Tag(span.Slice(5 * BlockSize, 512), UdfEntries.TerminatingTag, Version, start + 5);
        return blocks;
    }

    /// <summary>3/10.10 and UDF 2.2.6: the closed integrity descriptor and a terminator (its extent's 2 blocks).</summary>
    public byte[] Integrity()
    {
        var blocks = new byte[2 * BlockSize];
        var span = blocks.AsSpan();
        UdfBytes.Timestamp(span[16..], created);                                            // 10.10.2 recording time
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], 1);                            // 10.10.3 close integrity
        BinaryPrimitives.WriteUInt64LittleEndian(span[40..], (ulong)layout.NextUniqueId);    // 10.10.5, 4/14.15 header: next unique ID
        var partitions = layout.HasMetadataPartition ? 2 : 1;
        BinaryPrimitives.WriteUInt32LittleEndian(span[72..], (uint)partitions);              // 10.10.6 number of partitions
        BinaryPrimitives.WriteUInt32LittleEndian(span[76..], 46);                            // 10.10.7 implementation use length
        var at = 80;
        for (var i = 0; i < partitions; i++, at += 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], 0);                         // 10.10.8 free space: none
        }

        for (var i = 0; i < partitions; i++, at += 4)
        {
            var size = i == 0 ? layout.PartitionBlocks : layout.MetadataBlocks;
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], (uint)size);               // 10.10.9 size table
        }

        // UDF 2.2.6.4: implementation ID, file and folder counts, read and write revisions.
        UdfBytes.Implementation(span[at..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 32)..], (uint)layout.Files.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 36)..], (uint)layout.Directories.Count);
        foreach (var offset in (int[])[40, 42, 44])
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[(at + offset)..], (ushort)layout.Revision);
        }

        UdfBytes.Tag(span[..(at + 46)], IntegrityTag, Version, UdfLayout.IntegrityBlock);
        UdfBytes.Tag(span.Slice(BlockSize, 512), UdfEntries.TerminatingTag, Version, UdfLayout.IntegrityBlock + 1);
        return blocks;
    }

    /// <summary>3/10.2: the anchor at <paramref name="location"/>, pointing at both sequences.</summary>
    public byte[] Anchor(long location)
    {
        var block = new byte[BlockSize];
        var span = block.AsSpan();
        UdfBytes.ExtentAd(span[16..], UdfLayout.VdsBlocks * BlockSize, UdfLayout.MainVds);
        UdfBytes.ExtentAd(span[24..], UdfLayout.VdsBlocks * BlockSize, UdfLayout.ReserveVds);
        UdfBytes.Tag(span[..512], AnchorTag, Version, location);
        return block;
    }

    private void Primary(Span<byte> span, long location)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 0);                            // 10.1.2 sequence number
        UdfBytes.Dstring(span[24..56], label);                                              // 10.1.4 volume identifier
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], 1);                            // 10.1.5 volume sequence number
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 1);                            // 10.1.6 maximum
        BinaryPrimitives.WriteUInt16LittleEndian(span[60..], 2);                            // 10.1.7 interchange level (UDF 2.2.2.1: 2, one volume)
        BinaryPrimitives.WriteUInt16LittleEndian(span[62..], 2);                            // 10.1.8 maximum
        BinaryPrimitives.WriteUInt32LittleEndian(span[64..], 1);                            // 10.1.9 character set list: CS0
        BinaryPrimitives.WriteUInt32LittleEndian(span[68..], 1);                            // 10.1.10
        // 10.1.11, UDF 2.2.2.5: the volume set identifier starts with 16 hex digits unique to the volume.
        var unique = created.UtcTicks.ToString("X16", CultureInfo.InvariantCulture);
        UdfBytes.Dstring(span[72..200], unique + label);
        UdfBytes.Charspec(span[200..]);                                                     // 10.1.12
        UdfBytes.Charspec(span[264..]);                                                     // 10.1.13
        UdfBytes.Regid(span[344..], "*BurnFarm", UdfBytes.ImplementationSuffix());          // 10.1.16 application
        UdfBytes.Timestamp(span[376..], created);                                           // 10.1.17 recording time
        UdfBytes.Implementation(span[388..]);                                               // 10.1.18
        UdfBytes.Tag(span[..512], PrimaryTag, Version, location);
    }

    /// <summary>3/10.4, UDF 2.2.7: the implementation use descriptor holding the LV information.</summary>
    private void ImplementationUse(Span<byte> span, long location)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 1);                            // 10.4.2 sequence number
        UdfBytes.Regid(span[20..], "*UDF LV Info", UdfBytes.UdfSuffix(layout.Revision));    // 10.4.3
        UdfBytes.Charspec(span[52..]);                                                      // UDF 2.2.7.2.1 LVI charset
        UdfBytes.Dstring(span[116..244], label);                                            // 2.2.7.2.2 logical volume identifier
        UdfBytes.Implementation(span[352..]);                                               // 2.2.7.2.4
        UdfBytes.Tag(span[..512], ImplementationUseTag, Version, location);
    }

    /// <summary>3/10.5: the one physical partition, read-only (UDF 2.2.14.2: access type 1), no free space to describe.</summary>
    private void Partition(Span<byte> span, long location)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 2);                            // 10.5.2 sequence number
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], 1);                            // 10.5.3 flags: allocated
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], 0);                            // 10.5.4 partition number
        UdfBytes.Regid(span[24..], layout.Revision >= UdfRevision.V201 ? "+NSR03" : "+NSR02", default); // 10.5.5
        BinaryPrimitives.WriteUInt32LittleEndian(span[184..], 1);                           // 10.5.7 access type: read only
        BinaryPrimitives.WriteUInt32LittleEndian(span[188..], (uint)UdfLayout.PartitionStart); // 10.5.8
        BinaryPrimitives.WriteUInt32LittleEndian(span[192..], (uint)layout.PartitionBlocks); // 10.5.9
        UdfBytes.Implementation(span[196..]);                                               // 10.5.10
        UdfBytes.Tag(span[..512], PartitionTag, Version, location);
    }

    /// <summary>3/10.6 with its partition maps (type 1, 3/10.7.2; UDF 2.50's metadata map, UDF 2.2.10).</summary>
    private void LogicalVolume(Span<byte> span, long location)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 3);                            // 10.6.2 sequence number
        UdfBytes.Charspec(span[20..]);                                                      // 10.6.3
        UdfBytes.Dstring(span[84..212], label);                                             // 10.6.4
        BinaryPrimitives.WriteUInt32LittleEndian(span[212..], (uint)BlockSize);             // 10.6.5 logical block size
        UdfBytes.Regid(span[216..], "*OSTA UDF Compliant", UdfBytes.DomainSuffix(layout.Revision)); // 10.6.6
        UdfBytes.LongAd(span[248..], BlockSize, 0, layout.EntryPartition);                 // 10.6.7, UDF 2.2.4.4: the file set descriptor
        UdfBytes.Implementation(span[272..]);                                               // 10.6.10
        UdfBytes.ExtentAd(span[432..], 2 * BlockSize, UdfLayout.IntegrityBlock);            // 10.6.12 integrity sequence
        var maps = span[440..];
        maps[0] = 1;                                                                        // 10.7.2 type 1 map
        maps[1] = 6;
        BinaryPrimitives.WriteUInt16LittleEndian(maps[2..], 1);                             // volume sequence number
        BinaryPrimitives.WriteUInt16LittleEndian(maps[4..], 0);                             // partition number
        var mapBytes = 6;
        if (layout.HasMetadataPartition)
        {
            MetadataMap(maps[6..]);
            mapBytes += 64;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(span[264..], (uint)mapBytes);              // 10.6.8 map table length
        BinaryPrimitives.WriteUInt32LittleEndian(span[268..], layout.HasMetadataPartition ? 2u : 1u); // 10.6.9
        UdfBytes.Tag(span[..(440 + mapBytes)], LogicalVolumeTag, Version, location);
    }

    /// <summary>UDF 2.50 2.2.10: the type 2 metadata partition map over partition 0; no bitmap (read-only), mirror shares the extents.</summary>
    private void MetadataMap(Span<byte> map)
    {
        map[0] = 2;
        map[1] = 64;
        UdfBytes.Regid(map[4..], "*UDF Metadata Partition", UdfBytes.UdfSuffix(layout.Revision));
        BinaryPrimitives.WriteUInt16LittleEndian(map[36..], 1);                             // volume sequence number
        BinaryPrimitives.WriteUInt16LittleEndian(map[38..], 0);                             // partition number
        BinaryPrimitives.WriteUInt32LittleEndian(map[40..], 0);                             // metadata file location
        BinaryPrimitives.WriteUInt32LittleEndian(map[44..], 1);                             // metadata mirror file location
        BinaryPrimitives.WriteUInt32LittleEndian(map[48..], uint.MaxValue);                 // metadata bitmap file: none
        BinaryPrimitives.WriteUInt32LittleEndian(map[52..], UdfLayout.AllocationUnitBlocks); // allocation unit size
        BinaryPrimitives.WriteUInt16LittleEndian(map[56..], 1);                             // alignment unit size
        map[58] = 0;                                                                        // flags: not duplicated
    }

    /// <summary>3/10.8: no unallocated space (the image is exactly its contents).</summary>
    private void UnallocatedSpace(Span<byte> span, long location)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 4);                            // 10.8.2 sequence number
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 0);                            // 10.8.3 no descriptors
        UdfBytes.Tag(span[..24], UnallocatedSpaceTag, Version, location);
    }
}
