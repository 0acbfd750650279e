namespace Farm.Device.Mastering;

/// <summary>
/// Where everything of a UDF image goes (ECMA-167 parts 2-4, OSTA UDF 2.2 and 6.11), decided
/// before a byte is written. Blocks 0-15 are zeros; the Volume Recognition Sequence follows
/// (BEA01, NSR02 or NSR03, TEA01; in the bridge after the ISO 9660 descriptors, which keep
/// blocks 16-18); the Main Volume Descriptor Sequence at 32 and its reserve copy at 48 (16 blocks
/// each, UDF 2.2.3); the Logical Volume Integrity Descriptor at 64 with a terminator; an Anchor at
/// 256 and another in the last block (UDF 2.2.3: two of 256, N-256 and N). The one physical
/// partition runs from 257 to the block before the last anchor. It starts with the file set
/// descriptor and its terminator, then for each folder (depth first) its File Entry and the
/// blocks of its File Identifier Descriptors, then one File Entry per file: the metadata. The
/// bridge's ISO 9660 path tables and directories come next, then every file's data, once,
/// contiguous, from a block boundary (both file systems point at the same blocks).
/// <para>
/// UDF 2.50 keeps the metadata in a metadata partition (UDF 2.2.10): a Metadata File (and its
/// mirror, sharing its extents: the duplicate flag is clear) at the start of the physical
/// partition maps the metadata partition's blocks onto a run of the physical partition; entries
/// there are addressed through partition reference 1, file data through 0.
/// </para>
/// </summary>
internal sealed class UdfLayout
{
    public const int BlockSize = IsoLayout.BlockSize;
    /// <summary>BEA01, NSR02 or NSR03, TEA01 (ECMA-167 2/9.1, 3/9.1).</summary>
    public const long RecognitionBlocks = 3;
    public const long MainVds = 32;
    public const long ReserveVds = 48;
    public const long VdsBlocks = 16;
    public const long IntegrityBlock = 64;
    public const long FirstAnchor = 256;
    public const long PartitionStart = 257;

    /// <summary>UDF 2.3.10: an extent is shorter than 1 GiB; all but the last are whole blocks.</summary>
    public const long MaxExtentBytes = (1L << 30) - BlockSize;

    /// <summary>UDF 2.2.10: the metadata file's extents are whole allocation units (blocks).</summary>
    public const int AllocationUnitBlocks = 32;

    /// <summary>4/14.9: a File Entry's allocation descriptors start at byte 176 (no extended attributes).</summary>
    public const int FileEntryHeaderBytes = 176;

    private UdfLayout(IsoDirectory root, UdfRevision revision, IsoLayout? iso)
    {
        Root = root;
        Revision = revision;
        Iso = iso;
    }

    public IsoDirectory Root { get; }

    public UdfRevision Revision { get; }

    /// <summary>The ISO 9660 + Joliet trees of the bridge, or null for UDF alone.</summary>
    public IsoLayout? Iso { get; }

    /// <summary>2.50 and later: entries live in a metadata partition (reference 1).</summary>
    public bool HasMetadataPartition => Revision >= UdfRevision.V250;

    /// <summary>The partition reference (index in the partition maps) of entries and directories.</summary>
    public int EntryPartition => HasMetadataPartition ? 1 : 0;

    /// <summary>Folders depth first, the root first: the order of their entries and identifiers.</summary>
    public List<IsoDirectory> Directories { get; } = [];

    /// <summary>Files depth first by real name: the order of their entries and of their data.</summary>
    public List<IsoFile> Files { get; } = [];

    /// <summary>First block of the Volume Recognition Sequence (after the ISO descriptors in the bridge).</summary>
    public long RecognitionStart => Iso is null ? IsoLayout.SystemAreaBlocks : IsoLayout.SystemAreaBlocks + IsoLayout.DescriptorBlocks;

    /// <summary>Blocks of the entry space (the physical partition's start, or the metadata partition).</summary>
    public long EntryBlocks { get; private set; }

    /// <summary>2.50: the physical partition blocks of the Metadata File's data (its single run), and its length in blocks.</summary>
    public long MetadataStart { get; private set; }

    public long MetadataBlocks { get; private set; }

    public long PartitionBlocks => TotalBlocks - 1 - PartitionStart;

    /// <summary>The whole image; its last block is the second anchor.</summary>
    public long TotalBlocks { get; private set; }

    /// <summary>The next Unique ID the Logical Volume Header Descriptor records (4/14.15).</summary>
    public long NextUniqueId { get; private set; }

    public static UdfLayout Plan(IsoDirectory root, UdfRevision revision, IsoLayout? iso)
    {
        var layout = new UdfLayout(root, revision, iso);
        layout.Collect(root);
        layout.Place();
        return layout;
    }

    public static long Blocks(long bytes) => (bytes + BlockSize - 1) / BlockSize;

    /// <summary>The extents of <paramref name="bytes"/> of contiguous data: (offset, length), each under 1 GiB.</summary>
    public static IEnumerable<(long Offset, long Length)> Extents(long bytes)
    {
        for (long offset = 0; offset < bytes; offset += MaxExtentBytes)
        {
            yield return (offset, Math.Min(MaxExtentBytes, bytes - offset));
        }
    }

    /// <summary>The absolute block of a block of the physical partition.</summary>
    public static long Absolute(long partitionBlock) => PartitionStart + partitionBlock;

    /// <summary>An entry block's absolute block (through the metadata file's single run in 2.50).</summary>
    public long EntryAbsolute(long entryBlock) => PartitionStart + MetadataStart + entryBlock;

    private void Collect(IsoDirectory directory)
    {
        Directories.Add(directory);
        UdfNames.Assign(directory.Children);
        foreach (var child in directory.Children)
        {
            switch (child)
            {
                case IsoDirectory sub:
                    Collect(sub);
                    break;
                case IsoFile file:
                    Files.Add(file);
                    break;
            }
        }
    }

    private void Place()
    {
        // The entry space: file set descriptor, its terminator, the folders, the files' entries.
        long next = 2;
        long uniqueId = 16;
        foreach (var directory in Directories)
        {
            directory.UdfUniqueId = directory.Parent is null ? 0 : uniqueId++;
            directory.UdfEntryBlock = next++;
            directory.UdfDirectoryBytes = UdfEntries.DirectoryBytes(directory);
            directory.UdfDirectoryBlock = next;
            next += Blocks(directory.UdfDirectoryBytes);
            CheckExtents(directory, directory.UdfDirectoryBytes);
        }

        foreach (var file in Files)
        {
            file.UdfUniqueId = uniqueId++;
            file.UdfEntryBlock = next++;
            CheckExtents(file, file.Size);
        }

        NextUniqueId = uniqueId;
        EntryBlocks = next;

        // The physical partition: 2.50's metadata file and mirror entries, then the metadata run.
        long physical;
        if (HasMetadataPartition)
        {
            MetadataStart = 2;
            MetadataBlocks = (EntryBlocks + AllocationUnitBlocks - 1) / AllocationUnitBlocks * AllocationUnitBlocks;
            physical = MetadataStart + MetadataBlocks;
        }
        else
        {
            MetadataStart = 0;
            MetadataBlocks = EntryBlocks;
            physical = EntryBlocks;
        }

        var absolute = Absolute(physical);
        if (Iso is not null)
        {
            absolute = Iso.PlaceMetadata(absolute);
        }

        TotalBlocks = IsoLayout.PlaceFiles(Files, absolute) + 1; // the last anchor
        Iso?.TotalBlocks = TotalBlocks;
    }

    /// <summary>A File Entry holds the allocation descriptors of its block: a larger chain would need allocation extents, which are not built.</summary>
    private void CheckExtents(IsoNode node, long bytes)
    {
        var fit = (BlockSize - FileEntryHeaderBytes) / (HasMetadataPartition ? 16 : 8);
        var extents = (bytes + MaxExtentBytes - 1) / MaxExtentBytes;
        if (extents > fit)
        {
            throw MasteringErrors.Input($"'{node.RelativePath}' is {bytes:N0} bytes, {extents:N0} extents of under 1 GiB (UDF 2.3.10), and one File Entry holds {fit} here (UDF {UdfMasteringOptions.Describe(Revision)}); split it into parts under {fit} GiB");
        }
    }
}
