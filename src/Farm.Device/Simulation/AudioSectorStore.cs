using Farm.Device.Audio;

namespace Farm.Device.Simulation;

/// <summary>
/// The CD-DA blocks of a simulated disc, 2352 bytes each, in memory, addressed by LBA from -150
/// (track 1's pre-gap) on. Kept apart from the disc's 2048-byte <see cref="IMediaStore"/>: an
/// audio block has no 2048-byte user-data view. Chunks are allocated as they are written, so a
/// short disc costs only what it holds; unwritten blocks read as silence.
/// </summary>
internal sealed class AudioSectorStore
{
    private const int ChunkBlocks = 1024;
    private const int Block = CdAddress.BlockBytes;

    private readonly Dictionary<long, byte[]> _chunks = [];

    public void Write(long lba, ReadOnlySpan<byte> source)
    {
        for (long index = lba + CdAddress.PregapBlocks; !source.IsEmpty; index++)
        {
            var chunk = ChunkFor(index, create: true)!;
            int offset = (int)(index % ChunkBlocks) * Block;
            source[..Block].CopyTo(chunk.AsSpan(offset));
            source = source[Block..];
        }
    }

    public void Read(long lba, Span<byte> destination)
    {
        for (long index = lba + CdAddress.PregapBlocks; !destination.IsEmpty; index++)
        {
            var chunk = ChunkFor(index, create: false);
            if (chunk is null)
            {
                destination[..Block].Clear();
            }
            else
            {
                chunk.AsSpan((int)(index % ChunkBlocks) * Block, Block).CopyTo(destination);
            }

            destination = destination[Block..];
        }
    }

    public void Clear() => _chunks.Clear();

    private byte[]? ChunkFor(long index, bool create)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        long key = index / ChunkBlocks;
        if (!_chunks.TryGetValue(key, out var chunk) && create)
        {
            chunk = new byte[ChunkBlocks * Block];
            _chunks[key] = chunk;
        }

        return chunk;
    }
}
