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
/// The real names and the primary identifiers of a folder's children share two arrays held by
/// the folder (a string or array each costs its header, length and padding, about 30 bytes a
/// node), and what only UDF or a symbolic link needs is in <see cref="IsoNodeExtras"/>,
/// allocated for the nodes that have it.
/// </summary>
internal abstract class IsoNode
{
    // A DateTime (8 bytes; DateTimeOffset takes 16): every time here is UTC.
    private readonly DateTime _modifiedUtc;
    private readonly int _nameAt;
    private readonly ushort _nameLength;
    private IsoNodeExtras? _extras;

    // Where the primary identifier is in the parent's shared array; its length is a byte, as in its directory record (ECMA-119 9.1.10).
    private int _primaryAt;
    private byte _primaryLength;

    private protected IsoNode(string name, DateTimeOffset modified, IsoDirectory? parent)
    {
        ArgumentNullException.ThrowIfNull(name);
        _modifiedUtc = modified.UtcDateTime;
        Parent = parent;

        // The root keeps its own name at the start of its children's names.
        var names = parent ?? this as IsoDirectory ?? throw new ArgumentNullException(nameof(parent), "only a folder can be the root");
        _nameAt = names.AddChildName(name);
        _nameLength = checked((ushort)name.Length);
    }

    /// <summary>The folder that holds it; null for the root.</summary>
    public IsoDirectory? Parent { get; }

    /// <summary>The path to read (for a symbolic link, its final target).</summary>
    public abstract string SourcePath { get; }

    /// <summary>The real name, as in the source folder (made when asked: <see cref="NameSpan"/> makes nothing).</summary>
    public string Name => NameSpan.ToString();

    /// <summary>The real name, where the folder keeps it.</summary>
    public ReadOnlySpan<char> NameSpan => (Parent ?? (IsoDirectory)this).ChildName(_nameAt, _nameLength);

    /// <summary>The path below the mastered folder, for messages ("docs/a.txt"; the root is ".").</summary>
    public string RelativePath => Parent is null ? "." : Parent.Parent is null ? Name : $"{Parent.RelativePath}/{Name}";

    public DateTimeOffset Modified => new(_modifiedUtc);

    /// <summary>
    /// True for a file of an earlier session (multisession append, <see cref="IsoFile.FromPreviousSession"/>).
    /// Declared here, not on <see cref="IsoFile"/>, so it fits in the padding after the identifier's length.
    /// </summary>
    public bool IsImported { get; private protected init; }

    /// <summary>The UDF File Identifier (OSTA CS0, <see cref="UdfNames"/>); empty unless a UDF tree is mastered.</summary>
    public byte[] UdfIdentifier
    {
        get => _extras?.UdfIdentifier ?? [];
        set => Extras.UdfIdentifier = value;
    }

    /// <summary>The block of the UDF File Entry, in the partition that holds the entries (<see cref="UdfLayout"/>).</summary>
    public long UdfEntryBlock
    {
        get => _extras?.UdfEntryBlock ?? 0;
        set => Extras.UdfEntryBlock = value;
    }

    /// <summary>The UDF Unique ID (ECMA-167 4/14.9.24): 0 for the root, 16 on for the rest (UDF 3.2.1.1).</summary>
    public long UdfUniqueId
    {
        get => _extras?.UdfUniqueId ?? 0;
        set => Extras.UdfUniqueId = value;
    }

    /// <summary>A symbolic link's final target; null for the entry itself.</summary>
    private protected string? LinkedPath
    {
        get => _extras?.LinkedPath;
        init
        {
            if (value is not null)
            {
                Extras.LinkedPath = value;
            }
        }
    }

    private IsoNodeExtras Extras => _extras ??= new IsoNodeExtras();

    /// <summary>
    /// The identifier as recorded. The Joliet one is the name in UCS-2 (<see cref="JolietNames"/>),
    /// made when asked rather than kept: it is the largest thing a node would hold.
    /// </summary>
    public ReadOnlySpan<byte> Identifier(IsoTree tree) => tree == IsoTree.Primary ? PrimaryIdentifier : IsoBytes.Ucs2(NameSpan);

    /// <summary>The identifier's length in bytes, without making it.</summary>
    public int IdentifierLength(IsoTree tree) => tree == IsoTree.Primary ? _primaryLength : 2 * _nameLength;

    /// <summary>Sets one primary identifier (<see cref="PrimaryNames"/>); the Joliet one follows from the name.</summary>
    public void SetPrimaryIdentifier(byte[] identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var parent = Parent ?? throw new InvalidOperationException("the root has no identifier of its own (ECMA-119 9.4.4: it is 00h)");
        var shared = parent.ChildIdentifiers;
        _primaryAt = shared.Length;
        _primaryLength = checked((byte)identifier.Length);
        parent.ChildIdentifiers = [.. shared, .. identifier];
    }

    /// <summary>
    /// Sets the primary identifiers of <paramref name="children"/> (all of one folder) at once,
    /// in one array the folder holds.
    /// </summary>
    public static void SetPrimaryIdentifiers(IReadOnlyList<IsoNode> children, IReadOnlyList<string> identifiers)
    {
        if (children.Count == 0)
        {
            return;
        }

        var parent = children[0].Parent ?? throw new InvalidOperationException("the root has no identifier of its own (ECMA-119 9.4.4: it is 00h)");
        var shared = new byte[identifiers.Sum(identifier => identifier.Length)];
        var at = 0;
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            if (child.Parent != parent)
            {
                throw new ArgumentException("the identifiers set at once are those of one folder's children", nameof(children));
            }

            child._primaryAt = at;
            child._primaryLength = checked((byte)identifiers[i].Length);
            at += System.Text.Encoding.ASCII.GetBytes(identifiers[i], shared.AsSpan(at));
        }

        parent.ChildIdentifiers = shared;
    }

    private ReadOnlySpan<byte> PrimaryIdentifier => Parent is null ? [] : Parent.ChildIdentifiers.AsSpan(_primaryAt, _primaryLength);
}

/// <summary>What few nodes need: a symbolic link's target, and the UDF fields (only when a UDF tree is mastered).</summary>
internal sealed class IsoNodeExtras
{
    public string? LinkedPath { get; set; }

    public byte[] UdfIdentifier { get; set; } = [];

    public long UdfEntryBlock { get; set; }

    public long UdfUniqueId { get; set; }
}

/// <summary>
/// A regular file: its data goes once into the image, contiguous, and both trees point at it.
/// ECMA-119 9.1.4 gives an extent a 32-bit length: a larger file (interchange level 3, 10.3) is
/// recorded as several extents of <see cref="MaxExtentBytes"/> (whole blocks), one directory
/// record each, all but the last flagged multi-extent (9.1.6 bit 7).
/// </summary>
/// <param name="linkedPath">The final target's path when the entry is a symbolic link; null: the entry itself.</param>
internal sealed class IsoFile : IsoNode
{
    /// <summary>4 GiB - 2 KiB: the largest whole number of blocks a 32-bit length holds.</summary>
    public const long MaxExtentBytes = uint.MaxValue / IsoLayout.BlockSize * IsoLayout.BlockSize;

    public IsoFile(string? linkedPath, string name, DateTimeOffset modified, long size, IsoDirectory parent)
        : base(name, modified, parent)
    {
        LinkedPath = linkedPath;
        Size = size;
    }

    public override string SourcePath => LinkedPath ?? Path.Join(Parent!.SourcePath, NameSpan);

    public long Size { get; }

    /// <summary>
    /// A file of an earlier session, referenced at its extent: its data is already on the disc at
    /// <see cref="Lba"/>, so the new session's records point there and nothing is written.
    /// </summary>
    /// <remarks><paramref name="lba"/> is a disc address.</remarks>
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

    private char[] _childNames = [];
    private int _childNamesLength;

    /// <summary>The primary identifiers of the children, one after another (<see cref="IsoNode.Identifier"/>).</summary>
    internal byte[] ChildIdentifiers { get; set; } = [];

    /// <summary>
    /// Room for <paramref name="characters"/> more characters of children's names: the scanner
    /// knows a folder's names before it makes their nodes, so their array is made once, to size.
    /// </summary>
    internal void ReserveChildNames(int characters)
    {
        if (_childNames.Length - _childNamesLength < characters)
        {
            Array.Resize(ref _childNames, _childNamesLength + characters);
        }
    }

    /// <summary>Keeps a child's name (or the root's own) after the others; returns where it starts.</summary>
    internal int AddChildName(string name)
    {
        if (_childNames.Length - _childNamesLength < name.Length)
        {
            Array.Resize(ref _childNames, Math.Max(_childNamesLength + name.Length, 2 * _childNames.Length));
        }

        var at = _childNamesLength;
        name.CopyTo(_childNames.AsSpan(at));
        _childNamesLength += name.Length;
        return at;
    }

    internal ReadOnlySpan<char> ChildName(int at, int length) => _childNames.AsSpan(at, length);

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
