namespace Farm.Device.Simulation;

/// <summary>
/// The sectors of one simulated disc: 2048-byte user blocks addressed by LBA. A store keeps what
/// was written and reads unwritten blocks as zeros; it knows nothing about tracks, sessions or
/// capacity (the <see cref="SimulatedDisc"/> enforces those). Not thread-safe beyond what each
/// implementation states; the drive calls it one command at a time.
/// </summary>
public interface IMediaStore : IDisposable
{
    /// <summary>The user block size of every DVD/BD data block and of Mode-1 CD sectors.</summary>
    const int BlockSize = 2048;

    /// <summary>One past the highest block ever written (0 when nothing was written).</summary>
    long WrittenExtentBlocks { get; }

    /// <summary>Fills <paramref name="destination"/> (a whole number of blocks) from <paramref name="lba"/> on.</summary>
    void Read(long lba, Span<byte> destination);

    /// <summary>Stores <paramref name="source"/> (a whole number of blocks) from <paramref name="lba"/> on.</summary>
    void Write(long lba, ReadOnlySpan<byte> source);

    /// <summary>Makes everything written so far durable (a no-op in memory).</summary>
    void Flush();

    /// <summary>
    /// Forgets every block from <paramref name="extentBlocks"/> on, as if never written (data a
    /// drive held in its buffer when power was lost never reached the disc).
    /// </summary>
    void Truncate(long extentBlocks);
}

/// <summary>Argument checks shared by the stores.</summary>
internal static class MediaStoreArguments
{
    public static void Check(long lba, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lba);
        if (length % IMediaStore.BlockSize != 0)
        {
            throw new ArgumentException(
                $"a transfer of {length} bytes is not a whole number of {IMediaStore.BlockSize}-byte blocks", nameof(length));
        }
    }
}
