using Farm.Device.Writing;

namespace Farm.Device.Mastering;

/// <summary>
/// An ISO 9660 + Joliet image of a folder, planned completely before it is written: the block
/// count is known first (the burn path checks capacity before it starts), and the image is
/// then streamed, reading each file once. The plan holds names and numbers, never file data:
/// its memory grows with the number of entries, not with their sizes. The same folder (same
/// names, sizes, modification times) gives the same bytes.
/// </summary>
public sealed class IsoImagePlan
{
    /// <summary>The size of the reads from the files and of the default sector source chunks.</summary>
    public const int ChunkBytes = 1024 * 1024;

    private readonly IsoLayout layout;

    private IsoImagePlan(string folder, IsoLayout layout, string volumeId, string jolietVolumeId, DateTimeOffset created)
    {
        Folder = folder;
        this.layout = layout;
        VolumeId = volumeId;
        JolietVolumeId = jolietVolumeId;
        VolumeCreated = created;
    }

    /// <summary>The mastered folder's full path.</summary>
    public string Folder { get; }

    /// <summary>
    /// Whether <paramref name="path"/> lies inside the mastered folder: an image written there
    /// would be read into itself while it is being written.
    /// </summary>
    public bool Contains(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>2048-byte blocks of the whole image.</summary>
    public long Blocks => layout.TotalBlocks;

    public long Bytes => Blocks * IsoLayout.BlockSize;

    /// <summary>The primary descriptor's volume identifier (d-characters).</summary>
    public string VolumeId { get; }

    /// <summary>The Joliet descriptor's volume identifier.</summary>
    public string JolietVolumeId { get; }

    public DateTimeOffset VolumeCreated { get; }

    public int FileCount => layout.Files.Count;

    /// <summary>Folders, the root included.</summary>
    public int DirectoryCount => layout.Directories(IsoTree.Primary).Count;

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

        var label = options.VolumeId ?? root.Name;
        var primary = PrimaryNames.DCharacters(label);
        var volumeId = primary.Length == 0 ? "CDROM" : primary[..Math.Min(primary.Length, 32)];
        var joliet = label.Length == 0 ? volumeId : new string([.. label.Take(JolietNames.VolumeIdCharacters).Select(c => char.IsSurrogate(c) ? '_' : c)]);
        var created = options.VolumeCreated ?? Newest(root);
        return new IsoImagePlan(root.SourcePath, layout, volumeId, joliet, created);
    }

    /// <summary>Writes the image to <paramref name="destination"/> from its start, sequentially.</summary>
    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var image = OpenRead();
        await using (image.ConfigureAwait(false))
        {
            await image.CopyToAsync(destination, ChunkBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The image as a forward-only stream of <see cref="Bytes"/> bytes, produced as it is read.</summary>
    public Stream OpenRead() => new IsoImageStream(layout, Descriptors);

    /// <summary>
    /// The image as the write engine's sector source: a reader runs ahead through a FIFO and
    /// hashes the bytes as they pass (<see cref="StreamSectorSource"/>), no intermediate file.
    /// </summary>
    public ISectorSource OpenSectorSource(int chunkBytes = ChunkBytes, int fifoBytes = 16 * ChunkBytes, ByteCounter? diskBytes = null) =>
        new StreamSectorSource(OpenRead(), Bytes, chunkBytes, fifoBytes, ownsStream: true, diskBytes);

    private VolumeDescriptor.Fields Descriptors(IsoTree tree) => new(
        tree == IsoTree.Primary ? VolumeId : JolietVolumeId,
        Blocks,
        layout.PathTableBytes(tree),
        layout.PathTableLba(tree),
        layout.PathTableLba(tree) + layout.PathTableBlocks(tree),
        layout.Root,
        VolumeCreated);

    private static DateTimeOffset Newest(IsoDirectory directory)
    {
        var newest = directory.Modified;
        foreach (var child in directory.Children)
        {
            var time = child is IsoDirectory sub ? Newest(sub) : child.Modified;
            newest = time > newest ? time : newest;
        }

        return newest;
    }
}
