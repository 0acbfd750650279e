using Farm.Device.Mmc;

namespace Farm.Node.Recording;

/// <summary>
/// When sector progress is persisted: once <see cref="Blocks"/> blocks were written since the last
/// persisted position, or once <see cref="Interval"/> has passed since the last persist, whichever
/// comes first. A crash therefore loses at most that much progress (plus one WRITE in flight).
/// </summary>
public readonly record struct ProgressBound(long Blocks, TimeSpan Interval)
{
    public static ProgressBound From(RecorderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(Math.Max(1, options.ProgressBytes / MmcDrive.BlockSize), options.ProgressInterval);
    }

    /// <summary>True when <paramref name="lastWrittenLba"/> must be persisted now.</summary>
    public bool IsDue(long persistedLba, long lastWrittenLba, TimeSpan sinceLastPersist) =>
        lastWrittenLba > persistedLba && (lastWrittenLba - persistedLba >= Blocks || sinceLastPersist >= Interval);
}
