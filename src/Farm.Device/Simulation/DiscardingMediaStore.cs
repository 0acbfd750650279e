namespace Farm.Device.Simulation;

/// <summary>
/// A medium that keeps nothing (it reads back as zeros): 32 discs of a 1 GiB image would need
/// 32 GiB of memory or disk, and the multi-drive benchmarks measure feeding the drives, not storing
/// what they write. A disc on it cannot be verified.
/// </summary>
public sealed class DiscardingMediaStore : IMediaStore
{
    private long _extent;

    public long WrittenExtentBlocks => Interlocked.Read(ref _extent);

    public void Read(long lba, Span<byte> destination) => destination.Clear();

    public void Write(long lba, ReadOnlySpan<byte> source)
    {
        long end = lba + (source.Length / IMediaStore.BlockSize);
        long seen;
        while ((seen = Interlocked.Read(ref _extent)) < end && Interlocked.CompareExchange(ref _extent, end, seen) != seen)
        {
        }
    }

    public void Flush()
    {
    }

    public void Truncate(long extentBlocks) => Interlocked.Exchange(ref _extent, Math.Min(_extent, extentBlocks));

    public void Dispose()
    {
    }
}
