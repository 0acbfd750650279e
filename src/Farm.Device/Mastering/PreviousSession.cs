using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Farm.Device.Mastering;

/// <summary>Reads <c>destination.Length</c> bytes (whole 2048-byte blocks) from <paramref name="lba"/> of a disc or disc image.</summary>
public delegate Task BlockReader(long lba, Memory<byte> destination, CancellationToken cancellationToken);

/// <summary>
/// The ISO 9660 / Joliet tree of a disc's last session, read through its volume descriptors (at
/// the session start + 16, ECMA-119 6.2.1) and directory extents, so that a new session can
/// import it: every file keeps its extent, every folder is listed again in the new session.
/// The Joliet tree is read when the session has one (real names), else the primary tree
/// (its names without <c>;1</c>). Rock Ridge and UDF are not read. Addresses in a session's
/// records are disc LBAs (a multisession image is mastered for its start), so they are kept as they are.
/// </summary>
public sealed class PreviousSession
{
    private const int BlockSize = IsoLayout.BlockSize;
    private const int MaxDescriptors = 32;
    private const long MaxDirectoryBytes = 64L * 1024 * 1024;

    private PreviousSession(long startLba, long volumeBlocks, string volumeId, bool joliet, PreviousEntry root, string descriptorSha256)
    {
        StartLba = startLba;
        VolumeBlocks = volumeBlocks;
        VolumeId = volumeId;
        Joliet = joliet;
        Root = root;
        DescriptorSha256 = descriptorSha256;
    }

    /// <summary>The session's first block (its volume descriptors are 16 blocks further).</summary>
    public long StartLba { get; }

    /// <summary>The primary descriptor's volume space size: the disc's blocks up to the session's end.</summary>
    public long VolumeBlocks { get; }

    public string VolumeId { get; }

    /// <summary>True when the names came from a Joliet tree.</summary>
    public bool Joliet { get; }

    /// <summary>SHA-256 of the session's primary volume descriptor: which session of which disc this is.</summary>
    public string DescriptorSha256 { get; }

    internal PreviousEntry Root { get; }

    /// <summary>Files in the tree (folders not counted).</summary>
    public int FileCount => Root.Count(directories: false);

    /// <summary>Folders in the tree, the root included.</summary>
    public int DirectoryCount => Root.Count(directories: true) + 1;

    /// <summary>Every file's path below the root ("a/b.txt") with its first block and size: what a new session will reference.</summary>
    public IEnumerable<(string Path, long Lba, long Size)> Files() => Root.Walk("");

    /// <summary>Reads the descriptors at <paramref name="sessionStart"/> + 16 and the whole tree; anything unreadable is an error naming the block.</summary>
    public static async Task<PreviousSession> ReadAsync(BlockReader read, long sessionStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentOutOfRangeException.ThrowIfNegative(sessionStart);
        var block = new byte[BlockSize];
        byte[]? primary = null;
        byte[]? joliet = null;
        for (var i = 0; i < MaxDescriptors; i++)
        {
            var lba = sessionStart + IsoLayout.SystemAreaBlocks + i;
            await read(lba, block, cancellationToken).ConfigureAwait(false);
            if (!block.AsSpan(1, 5).SequenceEqual(VolumeDescriptor.StandardIdentifier))
            {
                throw Unreadable(sessionStart, $"block {lba} is not an ISO 9660 volume descriptor (no CD001)");
            }

            if (block[0] == 255)
            {
                break;
            }

            if (block[0] == 1 && primary is null)
            {
                primary = (byte[])block.Clone();
            }
            else if (block[0] == 2 && IsJoliet(block) && joliet is null)
            {
                joliet = (byte[])block.Clone();
            }
        }

        if (primary is null)
        {
            throw Unreadable(sessionStart, "it has no primary volume descriptor");
        }

        var chosen = joliet ?? primary;
        var reader = new TreeReader(read, joliet is not null, sessionStart);
        var root = await reader.ReadRootAsync(chosen.AsMemory(156, 34), cancellationToken).ConfigureAwait(false);
        var volumeId = joliet is not null
            ? Encoding.BigEndianUnicode.GetString(joliet, 40, 32).TrimEnd(' ', '\0')
            : Encoding.ASCII.GetString(primary, 40, 32).TrimEnd(' ');
        return new PreviousSession(
            sessionStart,
            BinaryPrimitives.ReadUInt32LittleEndian(primary.AsSpan(80)),
            volumeId,
            joliet is not null,
            root,
            Convert.ToHexStringLower(SHA256.HashData(primary)));
    }

    /// <summary>A disc image file as a <see cref="BlockReader"/> (blocks past its end read as zeros, like unrecorded gaps).</summary>
    public static BlockReader FromFile(FileStream image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return async (lba, destination, cancellationToken) =>
        {
            destination.Span.Clear();
            image.Position = lba * BlockSize;
            var done = 0;
            while (done < destination.Length)
            {
                var n = await image.ReadAsync(destination[done..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                done += n;
            }
        };
    }

    private static bool IsJoliet(byte[] descriptor) =>
        descriptor[88] == '%' && descriptor[89] == '/' && descriptor[90] is (byte)'@' or (byte)'C' or (byte)'E';

    internal static Errors.DeviceException Unreadable(long sessionStart, string why) => MasteringErrors.Input(
        $"the disc's last session (from LBA {sessionStart}) cannot be imported: {why}; only a session holding an ISO 9660 / Joliet file system can be appended to (or burn without --append on a blank disc)");

    /// <summary>Walks the directory extents, refusing loops, oversized folders and split extents it cannot reference.</summary>
    private sealed class TreeReader(BlockReader read, bool joliet, long sessionStart)
    {
        private readonly HashSet<long> _visited = [];

        public async Task<PreviousEntry> ReadRootAsync(ReadOnlyMemory<byte> rootRecord, CancellationToken cancellationToken)
        {
            var record = rootRecord.Span;
            var root = new PreviousEntry("", true, Lba(record), Length(record), ParseDate(record[18..25]));
            await FillAsync(root, 1, cancellationToken).ConfigureAwait(false);
            return root;
        }

        private async Task FillAsync(PreviousEntry directory, int level, CancellationToken cancellationToken)
        {
            if (!_visited.Add(directory.Lba) || directory.Size > MaxDirectoryBytes || level > 64)
            {
                throw Unreadable(sessionStart, $"the folder at LBA {directory.Lba} loops back, is deeper than 64 levels or larger than 64 MiB");
            }

            var bytes = new byte[IsoLayout.Blocks(directory.Size) * BlockSize];
            await read(directory.Lba, bytes, cancellationToken).ConfigureAwait(false);
            PreviousEntry? continued = null;
            var offset = 0;
            while (offset < directory.Size)
            {
                int length = bytes[offset];
                if (length == 0)
                {
                    offset = ((offset / BlockSize) + 1) * BlockSize; // 6.8.1.1: the rest of the block is padding
                    continue;
                }

                if (length < 34 || offset + length > bytes.Length || (offset % BlockSize) + length > BlockSize)
                {
                    throw Unreadable(sessionStart, $"a directory record at LBA {directory.Lba + (offset / BlockSize)} is malformed");
                }

                var record = bytes.AsSpan(offset, length);
                offset += length;
                int nameLength = record[32];
                if (33 + nameLength > length)
                {
                    throw Unreadable(sessionStart, $"a directory record at LBA {directory.Lba + (offset / BlockSize)} has a name longer than the record");
                }

                var identifier = record.Slice(33, nameLength);
                if (nameLength == 1 && identifier[0] is 0 or 1)
                {
                    continue; // the folder itself and its parent
                }

                var flags = record[25];
                if ((flags & 0x04) != 0)
                {
                    continue; // associated file (9.1.6 bit 2): not part of the tree a reader shows
                }

                continued = Add(directory, continued, identifier, record, flags);
            }

            foreach (var child in directory.Children.Where(c => c.IsDirectory))
            {
                await FillAsync(child, level + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Adds one record; a multi-extent file's later records extend the one before (returned while it continues).</summary>
        private PreviousEntry? Add(PreviousEntry directory, PreviousEntry? continued, ReadOnlySpan<byte> identifier, ReadOnlySpan<byte> record, byte flags)
        {
            var name = Name(identifier);
            var lba = Lba(record);
            var size = Length(record);
            var more = (flags & 0x80) != 0;
            if (continued is not null)
            {
                // Only contiguous extents can be referenced as one file by the new session's records.
                if (continued.Name != name || continued.Size % BlockSize != 0 || continued.Lba + (continued.Size / BlockSize) != lba)
                {
                    throw Unreadable(sessionStart, $"'{continued.Name}' is recorded in extents that are not contiguous");
                }

                continued.Size += size;
                return more ? continued : null;
            }

            var entry = new PreviousEntry(name, (flags & 0x02) != 0, lba, size, ParseDate(record[18..25]));
            if (directory.Children.Any(c => c.Name == name))
            {
                throw Unreadable(sessionStart, $"the name '{name}' appears twice in one folder");
            }

            directory.Children.Add(entry);
            return more && !entry.IsDirectory ? entry : null;
        }

        private string Name(ReadOnlySpan<byte> identifier)
        {
            var name = joliet ? Encoding.BigEndianUnicode.GetString(identifier) : Encoding.ASCII.GetString(identifier);
            var version = name.LastIndexOf(';');
            if (version > 0 && name[(version + 1)..].All(char.IsAsciiDigit))
            {
                name = name[..version];
            }

            return !joliet && name.EndsWith('.') ? name[..^1] : name;
        }
    }

    private static long Lba(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt32LittleEndian(record[2..]);

    private static long Length(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt32LittleEndian(record[10..]);

    /// <summary>9.1.5: years since 1900, month, day, hour, minute, second, offset in 15-minute steps.</summary>
    private static DateTimeOffset ParseDate(ReadOnlySpan<byte> date)
    {
        try
        {
            var offset = TimeSpan.FromMinutes(15 * (sbyte)date[6]);
            return new DateTimeOffset(1900 + date[0], date[1], date[2], date[3], date[4], date[5], offset).ToUniversalTime();
        }
        catch (ArgumentException)
        {
            return DateTimeOffset.UnixEpoch; // an unset or invalid date: the file is still readable
        }
    }
}

/// <summary>One entry of a previous session's tree: a file's extent, or a folder and its entries.</summary>
internal sealed class PreviousEntry(string name, bool isDirectory, long lba, long size, DateTimeOffset modified)
{
    public string Name { get; } = name;

    public bool IsDirectory { get; } = isDirectory;

    public long Lba { get; } = lba;

    /// <summary>Bytes (the sum of a multi-extent file's extents).</summary>
    public long Size { get; set; } = size;

    public DateTimeOffset Modified { get; } = modified;

    public List<PreviousEntry> Children { get; } = [];

    public int Count(bool directories) =>
        Children.Sum(c => (c.IsDirectory == directories ? 1 : 0) + (c.IsDirectory ? c.Count(directories) : 0));

    public IEnumerable<(string Path, long Lba, long Size)> Walk(string prefix)
    {
        foreach (var child in Children)
        {
            var path = prefix.Length == 0 ? child.Name : $"{prefix}/{child.Name}";
            if (child.IsDirectory)
            {
                foreach (var inner in child.Walk(path))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (path, child.Lba, child.Size);
            }
        }
    }
}
