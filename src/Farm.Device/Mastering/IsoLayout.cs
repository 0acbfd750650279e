namespace Farm.Device.Mastering;

/// <summary>
/// Where everything goes, decided before a byte is written (ECMA-119 6.2, 6.7): blocks 0-15 the
/// system area (zeros), 16 the Primary Volume Descriptor, 17 the Joliet Supplementary Volume
/// Descriptor, 18 the terminator; then the type L and type M path tables of the primary tree and
/// of the Joliet tree; the primary tree's directory extents, the Joliet tree's; then every
/// file's data, once, each starting on a block and padded with zeros to the block's end. The
/// image is contiguous: its bytes are the blocks in this order.
/// </summary>
internal sealed class IsoLayout
{
    public const int BlockSize = 2048;
    public const long SystemAreaBlocks = 16;

    /// <summary>The Primary, the Joliet and the terminator descriptor.</summary>
    public const long DescriptorBlocks = 3;

    /// <summary>ECMA-119 6.8.2.1: a path (identifiers and separators) is at most 255 characters.</summary>
    public const int MaxPathLength = 255;

    private static readonly IsoTree[] Trees = [IsoTree.Primary, IsoTree.Joliet];
    private readonly long[] _pathTableBytes = new long[2];
    private readonly long[] _pathTableLba = new long[2];
    private List<IsoDirectory> _primaryDirectories = [];
    private List<IsoDirectory> _jolietDirectories = [];

    private IsoLayout(IsoDirectory root) => Root = root;

    public IsoDirectory Root { get; }

    /// <summary>Each tree's directories in path table order (index = number - 1).</summary>
    public IReadOnlyList<IsoDirectory> Directories(IsoTree tree) => tree == IsoTree.Primary ? _primaryDirectories : _jolietDirectories;

    /// <summary>The files in the order their data is laid out (depth-first, by real name).</summary>
    public List<IsoFile> Files { get; } = [];

    public long PathTableBytes(IsoTree tree) => _pathTableBytes[(int)tree];

    public long PathTableBlocks(IsoTree tree) => Blocks(_pathTableBytes[(int)tree]);

    /// <summary>The type L path table's block; the type M table follows it.</summary>
    public long PathTableLba(IsoTree tree) => _pathTableLba[(int)tree];

    /// <summary>The volume space (ECMA-119 8.4.8): the whole image, whoever placed its last block.</summary>
    public long TotalBlocks { get; set; }

    /// <summary>The ISO 9660 + Joliet image alone: descriptors from block 16, then the trees, then the files.</summary>
    public static IsoLayout Plan(IsoDirectory root, int interchangeLevel) => Plan(root, interchangeLevel, origin: 0);

    /// <summary>
    /// The image as a session starting at disc block <paramref name="origin"/> (multisession):
    /// every address it records is a disc address, its descriptors are at the origin + 16, and
    /// <see cref="TotalBlocks"/> (the volume space size) counts from the disc's block 0.
    /// </summary>
    public static IsoLayout Plan(IsoDirectory root, int interchangeLevel, long origin)
    {
        var layout = Name(root, interchangeLevel);
        var next = layout.PlaceMetadata(origin + SystemAreaBlocks + DescriptorBlocks);
        layout.TotalBlocks = PlaceFiles(layout.Files, next);
        return layout;
    }

    /// <summary>
    /// Names and numbers both trees without placing them: the UDF bridge places the path tables
    /// and directories (<see cref="PlaceMetadata"/>) and the shared file data itself.
    /// </summary>
    public static IsoLayout Name(IsoDirectory root, int interchangeLevel)
    {
        var layout = new IsoLayout(root);
        layout.Name(root, interchangeLevel, pathLength: 0);
        layout._primaryDirectories = Number(root, IsoTree.Primary, PrimaryOrder);
        layout._jolietDirectories = Number(root, IsoTree.Joliet, directory => directory.Children);
        return layout;
    }

    public static long Blocks(long bytes) => (bytes + BlockSize - 1) / BlockSize;

    private void Name(IsoDirectory directory, int level, int pathLength)
    {
        PrimaryNames.Assign(directory.Children, level);
        JolietNames.Check(directory.Children);
        foreach (var child in directory.Children)
        {
            var length = pathLength + (pathLength == 0 ? 0 : 1) + child.Identifier(IsoTree.Primary).Length;
            if (length > MaxPathLength)
            {
                throw MasteringErrors.Input($"'{child.RelativePath}' has an ISO 9660 path of {length} characters and ECMA-119 6.8.2.1 allows {MaxPathLength}; shorten the names of its folders");
            }

            switch (child)
            {
                case IsoDirectory sub:
                    Name(sub, level, length);
                    break;
                case IsoFile { IsImported: false } file:
                    Files.Add(file);
                    break;
            }
        }
    }

    /// <summary>
    /// Orders each folder's records and numbers the folders as the path table lists them
    /// (6.9.1): by level, within a level by the parent's number, then by identifier. A
    /// breadth-first walk over the sorted children yields exactly that order. The Joliet order is
    /// the children's own (<see cref="JolietNames.Check"/>), so that tree shares their list.
    /// </summary>
    private static List<IsoDirectory> Number(IsoDirectory root, IsoTree tree, Func<IsoDirectory, List<IsoNode>> order)
    {
        var numbered = new List<IsoDirectory> { root };
        for (var next = 0; next < numbered.Count; next++)
        {
            var directory = numbered[next];
            var ordered = order(directory);
            var extent = directory.In(tree);
            extent.Ordered = ordered;
            extent.Number = next + 1;
            numbered.AddRange(ordered.OfType<IsoDirectory>());
        }

        if (numbered.Count > ushort.MaxValue)
        {
            throw MasteringErrors.Input($"the folder holds {numbered.Count:N0} folders and a path table numbers at most {ushort.MaxValue:N0} (ECMA-119 9.4.5); split it into several discs");
        }

        return numbered;
    }

    /// <summary>
    /// The children in 9.3 order. Mostly the real-name order already is (as for "record-000.dat",
    /// "record-001.dat", ...): then the children's list is shared, as the Joliet tree shares it,
    /// rather than copied (8 bytes an entry).
    /// </summary>
    private static List<IsoNode> PrimaryOrder(IsoDirectory directory)
    {
        var children = directory.Children;
        var sorted = true;
        for (var i = 1; sorted && i < children.Count; i++)
        {
            sorted = ComparePrimary(children[i - 1], children[i]) <= 0;
        }

        if (sorted)
        {
            return children;
        }

        var ordered = new List<IsoNode>(children);
        ordered.Sort(ComparePrimary);
        return ordered;
    }

    private static int ComparePrimary(IsoNode a, IsoNode b) => PrimaryNames.Compare(a.Identifier(IsoTree.Primary), b.Identifier(IsoTree.Primary));

    /// <summary>Places the path tables, then the directory extents, from <paramref name="first"/>; returns the next free block.</summary>
    public long PlaceMetadata(long first)
    {
        var next = first;
        foreach (var tree in Trees)
        {
            _pathTableBytes[(int)tree] = PathTable.Size(Directories(tree), tree);
            _pathTableLba[(int)tree] = next;
            next += 2 * PathTableBlocks(tree); // type L, then type M
        }

        foreach (var tree in Trees)
        {
            foreach (var directory in Directories(tree))
            {
                var extent = directory.In(tree);
                extent.Lba = next;
                extent.Bytes = DirectoryExtent.Measure(tree, extent.Ordered);
                next += extent.Bytes / BlockSize;
            }
        }

        return next;
    }

    /// <summary>Places each file's data from a block boundary, in order, from <paramref name="first"/>; returns the next free block.</summary>
    public static long PlaceFiles(IEnumerable<IsoFile> files, long first)
    {
        var next = first;
        foreach (var file in files)
        {
            // An empty file has no extent (ECMA-119 6.5.1: an extent is at least one block).
            file.Lba = file.Size == 0 ? 0 : next;
            next += Blocks(file.Size);
        }

        return next;
    }

    /// <summary>The three descriptors of blocks 16-18, built when they are read.</summary>
    public static IEnumerable<object> DescriptorParts(Func<IsoTree, VolumeDescriptor.Fields> descriptors)
    {
        yield return VolumeDescriptor.Build(IsoTree.Primary, descriptors(IsoTree.Primary));
        yield return VolumeDescriptor.Build(IsoTree.Joliet, descriptors(IsoTree.Joliet));
        yield return VolumeDescriptor.Terminator();
    }

    /// <summary>The path tables and directory extents in the order <see cref="PlaceMetadata"/> placed them.</summary>
    public IEnumerable<object> MetadataParts()
    {
        foreach (var tree in Trees)
        {
            yield return PathTable.Build(Directories(tree), tree, bigEndian: false, PathTableBlocks(tree));
            yield return PathTable.Build(Directories(tree), tree, bigEndian: true, PathTableBlocks(tree));
        }

        foreach (var tree in Trees)
        {
            foreach (var directory in Directories(tree))
            {
                yield return DirectoryExtent.Build(directory, tree);
            }
        }
    }

    /// <summary>The whole ISO 9660 + Joliet image, part by part (<see cref="ImageStream"/>).</summary>
    public IEnumerable<object> Parts(Func<IsoTree, VolumeDescriptor.Fields> descriptors)
    {
        yield return new byte[SystemAreaBlocks * BlockSize];
        foreach (var part in DescriptorParts(descriptors).Concat(MetadataParts()).Concat(Files))
        {
            yield return part;
        }
    }
}
