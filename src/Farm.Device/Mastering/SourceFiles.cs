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
}

/// <summary>
/// Opens an image's files in layout order, each once. On Linux a file is a raw descriptor (open,
/// read, close: a FileStream adds fstat, flock and fadvise to each), and the files after the one
/// being read are opened ahead with a read-ahead hint (POSIX_FADV_WILLNEED), up to
/// <see cref="AheadFiles"/> files and <see cref="AheadBytes"/> bytes: the disk then has the next
/// files' reads queued while this one is copied, where reading a cold folder of small files in
/// turn waits one disk round trip per file. Not thread-safe: one reader.
/// </summary>
internal sealed class SourceFiles(IReadOnlyList<IsoFile> files) : IDisposable
{
    public const int AheadFiles = 64;
    public const long AheadBytes = 16L * 1024 * 1024;

    private readonly Queue<(IsoFile File, ISourceFile? Opened)> _ahead = new();
    private int _next;
    private long _aheadBytes;

    /// <summary>Opens <paramref name="file"/>, one of the files given, each later than the last one opened.</summary>
    public ISourceFile Open(IsoFile file)
    {
        ISourceFile? opened = null;
        var found = false;
        while (!found && _ahead.TryDequeue(out var early))
        {
            _aheadBytes -= Advised(early.File);
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
        opened ??= OpenFile(file.SourcePath);
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

    private static ISourceFile OpenFile(string path) =>
        OperatingSystem.IsLinux() ? DescriptorFile.Open(path) : new HandleFile(path);

    private static long Advised(IsoFile file) => Math.Min(file.Size, AheadBytes);

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
            if (fd >= 0)
            {
                opened = new DescriptorFile(fd, file.SourcePath);
                LinuxNative.WillNeed(fd, Advised(file));
            }

            _ahead.Enqueue((file, opened));
            _aheadBytes += Advised(file);
        }
    }

    /// <summary>A Linux file descriptor, read with read(2).</summary>
    private sealed class DescriptorFile(int fd, string path) : ISourceFile
    {
        private int _descriptor = fd;

        public static DescriptorFile Open(string path)
        {
            var fd = LinuxNative.OpenRead(path, out var errno);
            return fd >= 0 ? new DescriptorFile(fd, path) : throw Failure(path, errno);
        }

        public long Length()
        {
            var length = LinuxNative.SizeOf(_descriptor, out var errno);
            return length >= 0 ? length : throw Failure(path, errno);
        }

        public int Read(Span<byte> buffer)
        {
            var read = LinuxNative.ReadInto(_descriptor, buffer, out var errno);
            return read >= 0 ? read : throw Failure(path, errno);
        }

        public void Dispose()
        {
            if (_descriptor >= 0)
            {
                _ = LinuxNative.Close(_descriptor);
                _descriptor = -1;
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

        public void Dispose() => _handle.Dispose();
    }
}
