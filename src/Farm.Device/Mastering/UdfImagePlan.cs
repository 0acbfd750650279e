namespace Farm.Device.Mastering;

/// <summary>
/// A UDF image of a folder (ECMA-167 / OSTA UDF 1.02, 2.01 or 2.50), alone or as the UDF bridge
/// (an ISO 9660 + Joliet tree over the same file data), planned and streamed like every
/// <see cref="ImagePlan"/>: the block count is known before the first byte, every file is read
/// once, and the plan holds names and numbers only.
/// </summary>
public sealed class UdfImagePlan : ImagePlan
{
    private readonly UdfLayout _layout;
    private readonly UdfVolume _volume;
    private readonly string _jolietVolumeId;

    private UdfImagePlan(string folder, UdfLayout layout, string volumeId, string jolietVolumeId, DateTimeOffset created)
        : base(folder)
    {
        _layout = layout;
        _jolietVolumeId = jolietVolumeId;
        VolumeId = volumeId;
        VolumeCreated = created;
        _volume = new UdfVolume(layout, volumeId, created);
    }

    public override long Blocks => _layout.TotalBlocks;

    /// <summary>The UDF label (logical volume, file set and volume identifiers); the bridge's ISO label is its d-character form.</summary>
    public override string VolumeId { get; }

    public override DateTimeOffset VolumeCreated { get; }

    private protected override IReadOnlyList<IsoFile> Files => _layout.Files;

    public override int DirectoryCount => _layout.Directories.Count;

    public UdfRevision Revision => _layout.Revision;

    public bool Bridge => _layout.Iso is not null;

    public override string Format => $"UDF {UdfMasteringOptions.Describe(Revision)}" + (Bridge ? " + ISO 9660 + Joliet" : "");

    /// <summary>Walks <paramref name="folder"/> and lays the image out; bad input is a <see cref="Errors.DeviceException"/> saying what to fix.</summary>
    public static UdfImagePlan Create(string folder, UdfMasteringOptions options) =>
        Create(folder, options, FolderScanner.ProveReadable);

    internal static UdfImagePlan Create(string folder, UdfMasteringOptions options, Action<string> probeRead)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Revision))
        {
            throw MasteringErrors.Input($"UDF revision 0x{(int)options.Revision:X4} is not supported; use 1.02, 2.01 or 2.50");
        }

        // The bridge's ISO tree keeps ISO 9660's depth limit; UDF alone has none.
        var scanner = new FolderScanner(probeRead, interchangeLevel: 3, options.Bridge ? FolderScanner.MaxLevels : null);
        var root = scanner.Scan(folder);
        var iso = options.Bridge ? IsoLayout.Name(root, interchangeLevel: 3) : null;
        var layout = UdfLayout.Plan(root, options.Revision, iso);
        if (options.CapacityBlocks is { } capacity && layout.TotalBlocks > capacity)
        {
            throw MasteringErrors.OverCapacity(layout.TotalBlocks, capacity);
        }

        var label = options.VolumeId ?? root.Name;
        var created = options.VolumeCreated ?? Newest(root);
        return new UdfImagePlan(root.SourcePath, layout, label, IsoImagePlan.Labels(label).Joliet, created);
    }

    private protected override IEnumerable<object> Parts()
    {
        yield return Zeros(IsoLayout.SystemAreaBlocks);
        if (_layout.Iso is { } iso)
        {
            foreach (var descriptor in IsoLayout.DescriptorParts(IsoImagePlan.Descriptors(iso, IsoImagePlan.Labels(VolumeId).Primary, _jolietVolumeId, VolumeCreated)))
            {
                yield return descriptor;
            }
        }

        foreach (var block in _volume.RecognitionSequence())
        {
            yield return block;
        }

        yield return Zeros(UdfLayout.MainVds - _layout.RecognitionStart - UdfLayout.RecognitionBlocks);
        yield return _volume.DescriptorSequence(UdfLayout.MainVds);
        yield return _volume.DescriptorSequence(UdfLayout.ReserveVds);
        yield return _volume.Integrity();
        yield return Zeros(UdfLayout.FirstAnchor - UdfLayout.IntegrityBlock - 2);
        yield return _volume.Anchor(UdfLayout.FirstAnchor);
        if (_layout.HasMetadataPartition)
        {
            yield return UdfEntries.MetadataFile(_layout, UdfEntries.MetadataFileType, 0, VolumeCreated);
            yield return UdfEntries.MetadataFile(_layout, UdfEntries.MetadataMirrorType, 1, VolumeCreated);
        }

        yield return UdfEntries.FileSet(_layout, VolumeId, VolumeCreated);
        yield return UdfEntries.FileSetTerminator(_layout);
        foreach (var directory in _layout.Directories)
        {
            yield return UdfEntries.Directory(_layout, directory);
            yield return UdfEntries.Identifiers(_layout, directory);
        }

        foreach (var file in _layout.Files)
        {
            yield return UdfEntries.File(_layout, file);
        }

        yield return Zeros(_layout.MetadataBlocks - _layout.EntryBlocks); // 2.50: the metadata file's last allocation unit
        if (_layout.Iso is { } bridged)
        {
            foreach (var part in bridged.MetadataParts())
            {
                yield return part;
            }
        }

        foreach (var file in _layout.Files)
        {
            yield return file;
        }

        yield return _volume.Anchor(_layout.TotalBlocks - 1);
    }

    private static byte[] Zeros(long blocks) => new byte[blocks * BlockSize];
}
