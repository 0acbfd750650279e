namespace Farm.Device.Simulation;

/// <summary>
/// A disc kept in a file on disk, so it survives a process restart. The file is sparse where the
/// file system allows it (Linux ext4/xfs/btrfs leave unwritten ranges as holes; on Windows NTFS
/// the file is not marked sparse, so gaps cost disk space). The file is exactly as long as the
/// written extent; reads beyond it return zeros. Opening an existing file keeps its content.
/// Thread-safe (positional I/O through <see cref="RandomAccess"/>).
/// </summary>
public sealed class FileMediaStore : IMediaStore
{
    private readonly FileStream _file;
    private readonly Lock _gate = new();
    private long _writtenExtentBlocks;
    private bool _disposed;

    private FileMediaStore(string path, FileStream file)
    {
        Path = path;
        _file = file;
        _writtenExtentBlocks = (file.Length + IMediaStore.BlockSize - 1) / IMediaStore.BlockSize;
    }

    /// <summary>The full path of the backing file.</summary>
    public string Path { get; }

    public long WrittenExtentBlocks
    {
        get
        {
            lock (_gate)
            {
                return _writtenExtentBlocks;
            }
        }
    }

    /// <summary>Opens <paramref name="path"/>, creating an empty (blank) file if there is none.</summary>
    public static FileMediaStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        string? folder = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        var stream = new FileStream(
            fullPath,
            new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.Read,
                Options = FileOptions.RandomAccess,
            });
        return new FileMediaStore(fullPath, stream);
    }

    public void Read(long lba, Span<byte> destination)
    {
        MediaStoreArguments.Check(lba, destination.Length);
        long offset = lba * IMediaStore.BlockSize;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int done = 0;
            while (done < destination.Length)
            {
                int read = RandomAccess.Read(_file.SafeFileHandle, destination[done..], offset + done);
                if (read == 0)
                {
                    destination[done..].Clear();
                    break;
                }

                done += read;
            }
        }
    }

    public void Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStoreArguments.Check(lba, source.Length);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RandomAccess.Write(_file.SafeFileHandle, source, lba * IMediaStore.BlockSize);
            _writtenExtentBlocks = Math.Max(_writtenExtentBlocks, lba + (source.Length / IMediaStore.BlockSize));
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _file.Flush(flushToDisk: true);
        }
    }

    public void Truncate(long extentBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extentBlocks);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (extentBlocks >= _writtenExtentBlocks)
            {
                return;
            }

            _file.SetLength(extentBlocks * IMediaStore.BlockSize);
            _writtenExtentBlocks = extentBlocks;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _file.Dispose();
        }
    }
}
