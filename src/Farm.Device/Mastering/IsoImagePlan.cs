namespace Farm.Device.Mastering;

/// <summary>An ISO 9660 + Joliet image of a folder (<see cref="ImagePlan"/>).</summary>
public sealed class IsoImagePlan : ImagePlan
{
    private readonly IsoLayout _layout;
    private readonly long _origin;

    private IsoImagePlan(string folder, IsoLayout layout, string volumeId, string jolietVolumeId, DateTimeOffset created, long origin = 0)
        : base(folder)
    {
        _layout = layout;
        _origin = origin;
        VolumeId = volumeId;
        JolietVolumeId = jolietVolumeId;
        VolumeCreated = created;
    }

    /// <summary>2048-byte blocks of the whole image (of a session image: the session's blocks, from <see cref="SessionStart"/>).</summary>
    public override long Blocks => _layout.TotalBlocks - _origin;

    /// <summary>The disc block the image must be written at: 0, or a new session's start (<see cref="CreateSession"/>).</summary>
    public long SessionStart => _origin;

    /// <summary>What a session image imports from the previous session (null for a first session).</summary>
    public SessionImport? Import { get; private init; }

    /// <summary>The primary descriptor's volume identifier (d-characters).</summary>
    public override string VolumeId { get; }

    /// <summary>The Joliet descriptor's volume identifier.</summary>
    public string JolietVolumeId { get; }

    public override DateTimeOffset VolumeCreated { get; }

    private protected override IReadOnlyList<IsoFile> Files => _layout.Files;

    /// <summary>Folders, the root included.</summary>
    public override int DirectoryCount => _layout.Directories(IsoTree.Primary).Count;

    public override string Format => "ISO 9660 + Joliet";

    /// <summary>Walks <paramref name="folder"/> and lays the image out; bad input is a <see cref="Errors.DeviceException"/> saying what to fix.</summary>
    public static IsoImagePlan Create(string folder, IsoMasteringOptions options) =>
        Create(folder, options, FolderScanner.ProveReadable);

    /// <summary>With a different proof of readability (tests run as root, whom permissions do not stop).</summary>
    internal static IsoImagePlan Create(string folder, IsoMasteringOptions options, Action<string> probeRead)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InterchangeLevel is not (1 or 2 or 3))
        {
            throw MasteringErrors.Input($"interchange level {options.InterchangeLevel} is not supported; use 1 (8.3 names), 2 (up to 30 characters) or 3 (2, with files over 4 GiB)");
        }

        var root = new FolderScanner(probeRead, options.InterchangeLevel).Scan(folder);
        var layout = IsoLayout.Plan(root, options.InterchangeLevel);
        if (options.CapacityBlocks is { } capacity && layout.TotalBlocks > capacity)
        {
            throw MasteringErrors.OverCapacity(layout.TotalBlocks, capacity);
        }

        var (volumeId, joliet) = Labels(options.VolumeId ?? root.Name);
        var created = options.VolumeCreated ?? Newest(root);
        return new IsoImagePlan(root.SourcePath, layout, volumeId, joliet, created);
    }

    /// <summary>
    /// IMultisessionSequential: a session to be written at disc block <paramref name="sessionStart"/>
    /// (the next writable address) whose tree is <paramref name="previous"/>'s with the folder's
    /// files added or replacing the old ones of the same path; the old files are referenced at their
    /// extents, not written again. All addresses are disc addresses; the volume space size counts
    /// from block 0 (as mkisofs -C does), so readers of the last session find every extent.
    /// </summary>
    public static IsoImagePlan CreateSession(string folder, IsoMasteringOptions options, PreviousSession? previous, long sessionStart) =>
        CreateSession(folder, options, previous, sessionStart, FolderScanner.ProveReadable);

    internal static IsoImagePlan CreateSession(string folder, IsoMasteringOptions options, PreviousSession? previous, long sessionStart, Action<string> probeRead)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(sessionStart);
        if (options.InterchangeLevel != 3)
        {
            throw MasteringErrors.Input($"a new session is mastered at interchange level 3 (the previous session's names and large files are kept as they are), not {options.InterchangeLevel}");
        }

        if (previous is not null && sessionStart < previous.VolumeBlocks)
        {
            throw MasteringErrors.Input($"the new session would start at block {sessionStart}, inside the previous one (which ends at {previous.VolumeBlocks}); the disc's next writable address is wrong");
        }

        var root = new FolderScanner(probeRead, options.InterchangeLevel).Scan(folder);
        var import = previous is null ? new SessionImport(0, 0, 0) : SessionImport.Merge(root, previous.Root);
        var layout = IsoLayout.Plan(root, options.InterchangeLevel, sessionStart);
        if (options.CapacityBlocks is { } capacity && layout.TotalBlocks - sessionStart > capacity)
        {
            throw MasteringErrors.OverCapacity(layout.TotalBlocks - sessionStart, capacity);
        }

        var (volumeId, joliet) = Labels(options.VolumeId ?? previous?.VolumeId ?? root.Name);
        var created = options.VolumeCreated ?? Newest(root);
        return new IsoImagePlan(root.SourcePath, layout, volumeId, joliet, created, sessionStart) { Import = import };
    }

    /// <summary>The label as the primary descriptor holds it (d-characters, at most 32) and as Joliet does (16 UCS-2 characters).</summary>
    internal static (string Primary, string Joliet) Labels(string label)
    {
        var primary = PrimaryNames.DCharacters(label);
        var volumeId = primary.Length == 0 ? "CDROM" : primary[..Math.Min(primary.Length, 32)];
        var joliet = label.Length == 0 ? volumeId : new string([.. label.Take(JolietNames.VolumeIdCharacters).Select(c => char.IsSurrogate(c) ? '_' : c)]);
        return (volumeId, joliet);
    }

    /// <summary>What the primary and the Joliet descriptor of <paramref name="layout"/> say.</summary>
    internal static Func<IsoTree, VolumeDescriptor.Fields> Descriptors(IsoLayout layout, string volumeId, string jolietVolumeId, DateTimeOffset created) =>
        tree => new(
            tree == IsoTree.Primary ? volumeId : jolietVolumeId,
            layout.TotalBlocks,
            layout.PathTableBytes(tree),
            layout.PathTableLba(tree),
            layout.PathTableLba(tree) + layout.PathTableBlocks(tree),
            layout.Root,
            created);

    private protected override IEnumerable<object> Parts() => _layout.Parts(Descriptors(_layout, VolumeId, JolietVolumeId, VolumeCreated));
}
