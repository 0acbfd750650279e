using Farm.Device.Transports.Linux;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Mastering;

/// <summary>One source file open for a single front-to-back read.</summary>
internal interface ISourceFile : IDisposable
{
    /// <summary>Its size now (a system call: only asked when the data disagrees with the plan).</summary>
    long Length();

    /// <summary>Reads from where the last read stopped; fewer bytes than asked only at the end of the file.</summary>
    int Read(Span<byte> buffer);

    /// <summary>Bytes read so far with direct I/O (the disk straight into the buffer, no page cache copy).</summary>
    long DirectBytes { get; }
}

/// <summary>
/// Opens an image's files in layout order, each once. On Linux a file is a raw descriptor (open,
/// read, close: a FileStream adds fstat, flock and fadvise to each), and the files after the one
/// being read are opened ahead with a read-ahead hint (POSIX_FADV_WILLNEED), up to
/// <see cref="AheadFiles"/> files and <see cref="AheadBytes"/> bytes: the disk then has the next
/// files' reads queued while this one is copied, where reading a cold folder of small files in
/// turn waits one disk round trip per file. A file of <see cref="DirectMinimumBytes"/> or more is read
/// with direct I/O where the file system allows it: the kernel then copies nothing through the
/// page cache, which was most of farm master's system CPU on a tree of large files
/// (docs/BENCHMARKS.md, "Issue 14, mastering I/O"); smaller files keep the read-ahead hint, which
/// direct I/O would bypass. Not thread-safe: one reader.
/// </summary>
internal sealed class SourceFiles(IReadOnlyList<IsoFile> files) : IDisposable
{
    public const int AheadFiles = 64;
    public const long AheadBytes = 16L * 1024 * 1024;

    /// <summary>4 MiB: files read in several 1 MiB direct reads; measured on 64 MiB files only.</summary>
    public const long DirectMinimumBytes = 4L * 1024 * 1024;

    private readonly Queue<(IsoFile File, ISourceFile? Opened, long Advised)> _ahead = new();
    private int _next;
    private long _aheadBytes;

    /// <summary>Opens <paramref name="file"/>, one of the files given, each later than the last one opened.</summary>
    public ISourceFile Open(IsoFile file)
    {
        ISourceFile? opened = null;
        var found = false;
        while (!found && _ahead.TryDequeue(out var early))
        {
            _aheadBytes -= early.Advised;
            found = ReferenceEquals(early.File, file);
            if (found)
            {
                opened = early.Opened;
            }
            else
            {
                early.Opened?.Dispose();
            }
        }

        if (!found)
        {
            while (_next < files.Count && !ReferenceEquals(files[_next++], file))
            {
            }
        }

        // A file that could not be opened ahead is opened now, so its error is the one of its turn.
        opened ??= OpenFile(file);
        if (OperatingSystem.IsLinux())
        {
            OpenAhead();
        }

        return opened;
    }

    public void Dispose()
    {
        while (_ahead.TryDequeue(out var early))
        {
            early.Opened?.Dispose();
        }
    }

    private static ISourceFile OpenFile(IsoFile file) =>
        OperatingSystem.IsLinux() ? DescriptorFile.Open(file.SourcePath, Direct(file)) : new HandleFile(file.SourcePath);

    private static bool Direct(IsoFile file) => file.Size >= DirectMinimumBytes;

    private void OpenAhead()
    {
        while (_next < files.Count && _ahead.Count < AheadFiles && _aheadBytes < AheadBytes)
        {
            var file = files[_next++];
            if (file.Size == 0)
            {
                continue; // no data to read: never opened (ImageStream)
            }

            var fd = LinuxNative.OpenRead(file.SourcePath, out _);
            DescriptorFile? opened = null;
            long advised = 0;
            if (fd >= 0)
            {
                // A file read direct is not advised: its reads bypass the page cache the hint would fill.
                opened = new DescriptorFile(fd, file.SourcePath, Direct(file));
                if (!opened.ReadsDirect)
                {
                    advised = Math.Min(file.Size, AheadBytes);
                    LinuxNative.WillNeed(fd, advised);
                }
            }

            _ahead.Enqueue((file, opened, advised));
            _aheadBytes += advised;
        }
    }

    /// <summary>
    /// A Linux file descriptor, read with read(2); with direct I/O while the caller's buffer, the
    /// file offset and the length allow it (a 2048-byte aligned block of the image with 512-byte
    /// rules: all of a large file but its last bytes), then through the page cache for the rest.
    /// </summary>
    private sealed class DescriptorFile : ISourceFile
    {
        private readonly string _path;
        private int _descriptor;
        private LinuxNative.DirectAlignment? _direct;
        private long _offset;

        public DescriptorFile(int fd, string path, bool direct)
        {
            _descriptor = fd;
            _path = path;
            _direct = direct ? LinuxNative.TryDirect(fd) : null;
        }

        public long DirectBytes { get; private set; }

        /// <summary>Whether reads go direct now (the file system allowed it and no unaligned read has come yet).</summary>
        public bool ReadsDirect => _direct is not null;

        public static DescriptorFile Open(string path, bool direct)
        {
            var fd = LinuxNative.OpenRead(path, out var errno);
            return fd >= 0 ? new DescriptorFile(fd, path, direct) : throw Failure(path, errno);
        }

        public long Length()
        {
            var length = LinuxNative.SizeOf(_descriptor, out var errno);
            return length >= 0 ? length : throw Failure(_path, errno);
        }

        public int Read(Span<byte> buffer)
        {
            var filled = 0;
            if (_direct is { } alignment)
            {
                var ended = ReadDirect(buffer, alignment, out filled);
                if (ended || filled == buffer.Length)
                {
                    return filled;
                }

                // The rest is not aligned (the file's last bytes, or the caller's buffer): read
                // it and every later byte through the page cache.
                _direct = null;
                if (!LinuxNative.StopDirect(_descriptor, out var errno))
                {
                    throw Failure(_path, errno);
                }
            }

            var read = LinuxNative.ReadInto(_descriptor, buffer[filled..], out var readErrno);
            if (read < 0)
            {
                throw Failure(_path, readErrno);
            }

            _offset += read;
            return filled + read;
        }

        public void Dispose()
        {
            if (_descriptor >= 0)
            {
                _ = LinuxNative.Close(_descriptor);
                _descriptor = -1;
            }
        }

        /// <summary>Direct reads of the buffer's aligned front into <paramref name="filled"/> bytes; true at the file's end.</summary>
        private unsafe bool ReadDirect(Span<byte> buffer, LinuxNative.DirectAlignment alignment, out int filled)
        {
            filled = 0;
            while (true)
            {
                var rest = buffer[filled..];
                var length = rest.Length - (rest.Length % alignment.Offset);
                fixed (byte* start = rest)
                {
                    if (length == 0 || !alignment.Allows((nuint)start, _offset, length))
                    {
                        return false;
                    }
                }

                var read = LinuxNative.ReadInto(_descriptor, rest[..length], out var errno);
                if (read < 0)
                {
                    // EINVAL: the file system refused this transfer after all; the page cache serves it.
                    return errno == LinuxNative.EInval ? false : throw Failure(_path, errno);
                }

                if (read == 0)
                {
                    return true;
                }

                filled += read;
                _offset += read;
                DirectBytes += read;
            }
        }

        /// <summary>The exception System.IO would throw, with its wording.</summary>
        private static Exception Failure(string path, int errno) => errno switch
        {
            LinuxNative.EAccess or LinuxNative.EPerm => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
            LinuxNative.ENoEnt => new FileNotFoundException($"Could not find file '{path}'.", path),
            _ => new IOException($"{path}: {LinuxNative.Describe(errno)}"),
        };
    }

    /// <summary>Elsewhere: a handle read with <see cref="RandomAccess"/>.</summary>
    private sealed class HandleFile(string path) : ISourceFile
    {
        private readonly SafeFileHandle _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        private long _offset;

        public long Length() => RandomAccess.GetLength(_handle);

        public int Read(Span<byte> buffer)
        {
            var read = RandomAccess.Read(_handle, buffer, _offset);
            _offset += read;
            return read;
        }

        public long DirectBytes => 0;

        public void Dispose() => _handle.Dispose();
    }
}
