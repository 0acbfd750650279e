namespace Farm.Device.Mastering;

/// <summary>The two directory hierarchies of the image: they name the same files.</summary>
internal enum IsoTree
{
    /// <summary>ISO 9660 names (d-characters) under the Primary Volume Descriptor.</summary>
    Primary = 0,

    /// <summary>The real names in UCS-2 under the Joliet Supplementary Volume Descriptor.</summary>
    Joliet = 1,
}

/// <summary>
/// A file or folder of the source tree as the planner found it, with its identifier in each tree
/// (bytes as recorded: ASCII for the primary tree, UCS-2 big-endian for Joliet). Memory per node
/// is a few names and numbers: the planner never holds file contents, and a file's paths (source
/// and relative) are derived from its folder's when asked, not stored with each of 200,000 files.
/// </summary>
internal abstract class IsoNode(string name, DateTimeOffset modified, IsoDirectory? parent)
{
    // A DateTime (8 bytes; DateTimeOffset takes 16): every time here is UTC.
    private readonly DateTime _modifiedUtc = modified.UtcDateTime;
    private byte[] _primary = [];

    /// <summary>The folder that holds it; null for the root.</summary>
    public IsoDirectory? Parent { get; } = parent;

    /// <summary>The path to read (for a symbolic link, its final target).</summary>
    public abstract string SourcePath { get; }

    /// <summary>The real name, as in the source folder.</summary>
    public string Name { get; } = name;

    /// <summary>The path below the mastered folder, for messages ("docs/a.txt"; the root is ".").</summary>
    public string RelativePath => Parent is null ? "." : Parent.Parent is null ? Name : $"{Parent.RelativePath}/{Name}";

    public DateTimeOffset Modified => new(_modifiedUtc);

    /// <summary>The UDF File Identifier (OSTA CS0, <see cref="UdfNames"/>); empty unless a UDF tree is mastered.</summary>
    public byte[] UdfIdentifier { get; set; } = [];

    /// <summary>The block of the UDF File Entry, in the partition that holds the entries (<see cref="UdfLayout"/>).</summary>
    public long UdfEntryBlock { get; set; }

    /// <summary>The UDF Unique ID (ECMA-167 4/14.9.24): 0 for the root, 16 on for the rest (UDF 3.2.1.1).</summary>
    public long UdfUniqueId { get; set; }

    /// <summary>
    /// The identifier as recorded. The Joliet one is the name in UCS-2 (<see cref="JolietNames"/>),
    /// made when asked rather than kept: it is the largest thing a node would hold.
    /// </summary>
    public byte[] Identifier(IsoTree tree) => tree == IsoTree.Primary ? _primary : IsoBytes.Ucs2(Name);

    /// <summary>The identifier's length in bytes, without making it.</summary>
    public int IdentifierLength(IsoTree tree) => tree == IsoTree.Primary ? _primary.Length : 2 * Name.Length;

    /// <summary>Sets the primary identifier (<see cref="PrimaryNames"/>); the Joliet one follows from the name.</summary>
    public void SetPrimaryIdentifier(byte[] identifier) => _primary = identifier;
}

/// <summary>
/// A regular file: its data goes once into the image, contiguous, and both trees point at it.
/// ECMA-119 9.1.4 gives an extent a 32-bit length: a larger file (interchange level 3, 10.3) is
/// recorded as several extents of <see cref="MaxExtentBytes"/> (whole blocks), one directory
/// record each, all but the last flagged multi-extent (9.1.6 bit 7).
/// </summary>
/// <param name="linkedPath">The final target's path when the entry is a symbolic link; null: the entry itself.</param>
internal sealed class IsoFile(string? linkedPath, string name, DateTimeOffset modified, long size, IsoDirectory parent)
    : IsoNode(name, modified, parent)
{
    /// <summary>4 GiB - 2 KiB: the largest whole number of blocks a 32-bit length holds.</summary>
    public const long MaxExtentBytes = uint.MaxValue / IsoLayout.BlockSize * IsoLayout.BlockSize;

    public override string SourcePath => linkedPath ?? Path.Join(Parent!.SourcePath, Name);

    public long Size { get; } = size;

    /// <summary>
    /// True for a file of an earlier session (multisession append): its data is already on the
    /// disc at <see cref="Lba"/>, so the new session's records point there and nothing is written.
    /// </summary>
    public bool IsImported { get; private init; }

    /// <summary>A file of an earlier session, referenced at its extent (<paramref name="lba"/>, a disc address).</summary>
    public static IsoFile FromPreviousSession(string name, DateTimeOffset modified, long size, long lba, IsoDirectory parent) =>
        new(null, name, modified, size, parent) { IsImported = true, Lba = lba };

    /// <summary>First block of the data (0 for an empty file, which has no extent).</summary>
    public long Lba { get; set; }

    /// <summary>Directory records the file takes: one, unless it is larger than a 32-bit length.</summary>
    public int ExtentCount => Size <= uint.MaxValue ? 1 : (int)((Size + MaxExtentBytes - 1) / MaxExtentBytes);

    /// <summary>The <paramref name="index"/>th extent's first block and length.</summary>
    public (long Lba, long Length) Extent(int index) => ExtentCount == 1
        ? (Lba, Size)
        : (Lba + (index * MaxExtentBytes / IsoLayout.BlockSize), Math.Min(MaxExtentBytes, Size - (index * MaxExtentBytes)));
}

/// <summary>A folder: one extent of directory records per tree.</summary>
internal sealed class IsoDirectory(string sourcePath, string name, DateTimeOffset modified, IsoDirectory? parent)
    : IsoNode(name, modified, parent)
{
    private readonly Extent[] _extents = [new(), new()];

    /// <summary>Its real path (a linked folder's final target): what its entries are read from.</summary>
    public override string SourcePath { get; } = sourcePath;

    /// <summary>ECMA-119 6.8.2.1: the root is level 1.</summary>
    public int Level => Parent is null ? 1 : Parent.Level + 1;

    /// <summary>The entries sorted by real name (ordinal): the order file data is laid out in.</summary>
    public List<IsoNode> Children { get; } = [];

    public Extent In(IsoTree tree) => _extents[(int)tree];

    /// <summary>The UDF directory's File Identifier Descriptors: their bytes and first block.</summary>
    public long UdfDirectoryBytes { get; set; }

    public long UdfDirectoryBlock { get; set; }

    /// <summary>Where one tree's records of this folder are, and its path table number.</summary>
    internal sealed class Extent
    {
        /// <summary>The children in this tree's record order (ECMA-119 9.3).</summary>
        public IReadOnlyList<IsoNode> Ordered { get; set; } = [];

        public long Lba { get; set; }

        /// <summary>A whole number of blocks (6.8.1.1: records never cross a block).</summary>
        public long Bytes { get; set; }

        /// <summary>The 1-based directory number in this tree's path table (9.4.5).</summary>
        public int Number { get; set; }
    }
}
