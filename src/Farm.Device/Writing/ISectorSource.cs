namespace Farm.Device.Writing;

/// <summary>
/// Where the write engine takes its sectors from: a reader that runs ahead of the drive. The
/// engine asks for one chunk at a time and sends it to the drive without copying it; the chunk
/// stays valid until the next <see cref="NextAsync"/> (or disposal), which is when the source may
/// reuse its memory. Implementations: <see cref="StreamSectorSource"/> (one stream, a private
/// FIFO) and the cursors of a <see cref="SharedImageReader"/> (one disk read for many drives).
/// </summary>
public interface ISectorSource : IAsyncDisposable
{
    /// <summary>Bytes the read-ahead buffer can hold (IWriteEngine2EventArgs TotalSystemBuffer).</summary>
    long CapacityBytes { get; }

    /// <summary>Bytes read ahead and not yet handed to the engine (UsedSystemBuffer).</summary>
    long BufferedBytes { get; }

    /// <summary>The next chunk: whole 2048-byte sectors; empty at the end of the data.</summary>
    ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The SHA-256 (lower-case hex) of all the bytes the source delivers, computed as they were
    /// read (no second pass). Only meaningful after the end was reached; waits for the reader.
    /// </summary>
    ValueTask<string> GetSha256Async(CancellationToken cancellationToken);
}

/// <summary>
/// Counts bytes read from disk (the "read once" figure), adding them to a parent counter too when
/// it has one (one image's counter inside a node's total). Thread-safe.
/// </summary>
public sealed class ByteCounter(ByteCounter? parent = null)
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Add(long bytes)
    {
        Interlocked.Add(ref _total, bytes);
        parent?.Add(bytes);
    }
}
