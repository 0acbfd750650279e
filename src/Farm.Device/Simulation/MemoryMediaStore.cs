namespace Farm.Device.Simulation;

/// <summary>
/// A sparse in-memory disc: blocks live in fixed-size chunks created on first write, so a
/// 25 GB BD-R costs only what was written. Unwritten blocks read as zeros. Thread-safe.
/// </summary>
public sealed class MemoryMediaStore : IMediaStore
{
    /// <summary>Blocks per chunk: 32 blocks = 64 KiB, one BD cluster, two DVD ECC blocks.</summary>
    public const int ChunkBlocks = 32;

    private const int ChunkBytes = ChunkBlocks * IMediaStore.BlockSize;

    private readonly Dictionary<long, byte[]> _chunks = [];
    private readonly Lock _gate = new();
    private long _writtenExtentBlocks;

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

    /// <summary>How many bytes the store holds in memory (for tests of sparseness).</summary>
    public long AllocatedBytes
    {
        get
        {
            lock (_gate)
            {
                return (long)_chunks.Count * ChunkBytes;
            }
        }
    }

    public void Read(long lba, Span<byte> destination)
    {
        MediaStoreArguments.Check(lba, destination.Length);
        lock (_gate)
        {
            long offset = lba * IMediaStore.BlockSize;
            while (!destination.IsEmpty)
            {
                long chunkIndex = offset / ChunkBytes;
                int inChunk = (int)(offset % ChunkBytes);
                int count = Math.Min(destination.Length, ChunkBytes - inChunk);
                if (_chunks.TryGetValue(chunkIndex, out var chunk))
                {
                    chunk.AsSpan(inChunk, count).CopyTo(destination);
                }
                else
                {
                    destination[..count].Clear();
                }

                destination = destination[count..];
                offset += count;
            }
        }
    }

    public void Write(long lba, ReadOnlySpan<byte> source)
    {
        MediaStoreArguments.Check(lba, source.Length);
        lock (_gate)
        {
            long offset = lba * IMediaStore.BlockSize;
            long end = lba + (source.Length / IMediaStore.BlockSize);
            while (!source.IsEmpty)
            {
                long chunkIndex = offset / ChunkBytes;
                int inChunk = (int)(offset % ChunkBytes);
                int count = Math.Min(source.Length, ChunkBytes - inChunk);
                if (!_chunks.TryGetValue(chunkIndex, out var chunk))
                {
                    chunk = new byte[ChunkBytes];
                    _chunks[chunkIndex] = chunk;
                }

                source[..count].CopyTo(chunk.AsSpan(inChunk, count));
                source = source[count..];
                offset += count;
            }

            _writtenExtentBlocks = Math.Max(_writtenExtentBlocks, end);
        }
    }

    public void Flush()
    {
    }

    public void Truncate(long extentBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extentBlocks);
        lock (_gate)
        {
            if (extentBlocks >= _writtenExtentBlocks)
            {
                return;
            }

            long firstLostChunk = extentBlocks / ChunkBlocks;
            foreach (long index in _chunks.Keys.Where(k => k > firstLostChunk).ToList())
            {
                _chunks.Remove(index);
            }

            if (_chunks.TryGetValue(firstLostChunk, out var partial))
            {
                partial.AsSpan((int)(extentBlocks % ChunkBlocks) * IMediaStore.BlockSize).Clear();
            }

            _writtenExtentBlocks = extentBlocks;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _chunks.Clear();
        }
    }
}
