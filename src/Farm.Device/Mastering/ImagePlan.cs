using Farm.Device.Writing;

namespace Farm.Device.Mastering;

/// <summary>
/// A disc image of a folder, planned completely before it is written (ISO 9660 + Joliet, UDF,
/// or the UDF bridge): the block count is known first (the burn path checks capacity before it
/// starts), and the image is then streamed, reading each file once. A plan holds names and
/// numbers, never file data: its memory grows with the number of entries, not with their sizes.
/// The same folder (same names, sizes, modification times) gives the same bytes.
/// </summary>
public abstract class ImagePlan
{
    /// <summary>The size of the reads from the files and of the default sector source chunks.</summary>
    public const int ChunkBytes = 1024 * 1024;

    public const int BlockSize = IsoLayout.BlockSize;

    private protected ImagePlan(string folder) => Folder = folder;

    /// <summary>The mastered folder's full path.</summary>
    public string Folder { get; }

    /// <summary>2048-byte blocks of the whole image.</summary>
    public abstract long Blocks { get; }

    public long Bytes => Blocks * BlockSize;

    /// <summary>The volume label as the image records it (for ISO 9660, its d-character form).</summary>
    public abstract string VolumeId { get; }

    public abstract DateTimeOffset VolumeCreated { get; }

    public int FileCount => Files.Count;

    /// <summary>Folders, the root included.</summary>
    public abstract int DirectoryCount { get; }

    /// <summary>The file systems the image holds, for the operator ("ISO 9660 + Joliet", "UDF 2.01").</summary>
    public abstract string Format { get; }

    /// <summary>
    /// Whether <paramref name="path"/> lies inside the mastered folder: an image written there
    /// would be read into itself while it is being written.
    /// </summary>
    public bool Contains(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetFullPath(path).StartsWith(Path.TrimEndingDirectorySeparator(Folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
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
    public Stream OpenRead() => new ImageStream(Parts(), Files, Bytes);

    /// <summary>
    /// The image as the write engine's sector source: a reader runs ahead through a FIFO and
    /// hashes the bytes as they pass (<see cref="StreamSectorSource"/>), no intermediate file.
    /// </summary>
    public ISectorSource OpenSectorSource(int chunkBytes = ChunkBytes, int fifoBytes = 16 * ChunkBytes, ByteCounter? diskBytes = null) =>
        new StreamSectorSource(OpenRead(), Bytes, chunkBytes, fifoBytes, ownsStream: true, diskBytes);

    /// <summary>The files in the order their data is laid out, which is the order <see cref="Parts"/> yields them.</summary>
    private protected abstract IReadOnlyList<IsoFile> Files { get; }

    /// <summary>The image's parts in order, for <see cref="ImageStream"/>: byte arrays and files.</summary>
    private protected abstract IEnumerable<object> Parts();

    /// <summary>The newest modification time in the tree: the default volume time, so the same folder gives the same image.</summary>
    private protected static DateTimeOffset Newest(IsoDirectory directory)
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
