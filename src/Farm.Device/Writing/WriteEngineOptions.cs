namespace Farm.Device.Writing;

/// <summary>The pipeline settings of a <see cref="WriteEngine"/>; validated when the engine is made.</summary>
public sealed record WriteEngineOptions
{
    /// <summary>Host FIFO between the stream reader and the drive, in bytes: 4-32 MiB keeps drives fed.</summary>
    public int FifoBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bytes per WRITE; the data writer sets the profile's (32 KiB CD/DVD, 64 KiB BD). Capped by the transport.</summary>
    public int ChunkBytes { get; init; } = 32 * 1024;

    /// <summary>
    /// Bytes per read from the stream into the FIFO; null picks 1 MiB (at most a quarter of the
    /// FIFO). Reads larger than one WRITE cost fewer system calls; the engine slices them into
    /// WRITE-sized pieces without copying.
    /// </summary>
    public int? ReadChunkBytes { get; init; }

    /// <summary>
    /// How often, at most, READ BUFFER CAPACITY is sent for the progress events. Each poll is a
    /// command queued between WRITEs on the same drive, so it is throttled.
    /// </summary>
    public TimeSpan DriveBufferPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The drive's buffer size in bytes, when known; null asks the capabilities page (2Ah) and,
    /// failing that, assumes <see cref="FallbackDriveBufferBytes"/>. The engine sends READ BUFFER
    /// CAPACITY only after this many bytes went to the drive (see <see cref="WriteEngine"/>).
    /// </summary>
    public long? DriveBufferBytes { get; init; }

    /// <summary>
    /// Assumed drive buffer when the drive does not say: larger than the buffers of common writers
    /// (2-8 MiB), so the first poll is never early; the price is a later first reading.
    /// </summary>
    public long FallbackDriveBufferBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>How long the SYNCHRONIZE CACHE after a cancel may take before the engine gives up on it.</summary>
    public TimeSpan CancelFlushTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public WriteEngineOptions Validate()
    {
        if (FifoBytes is < 1024 * 1024 or > 256 * 1024 * 1024)
        {
            throw new ArgumentException($"FifoBytes must be between 1 MiB and 256 MiB, not {FifoBytes} bytes");
        }

        if (ChunkBytes <= 0 || ChunkBytes % 2048 != 0 || ChunkBytes > 16 * 1024 * 1024)
        {
            throw new ArgumentException($"ChunkBytes must be a positive multiple of 2048 bytes up to 16 MiB, not {ChunkBytes}");
        }

        if (ReadChunkBytes is { } read && (read <= 0 || read % 2048 != 0))
        {
            throw new ArgumentException($"ReadChunkBytes must be a positive multiple of 2048, not {read}");
        }

        if (DriveBufferPollInterval <= TimeSpan.Zero || CancelFlushTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("DriveBufferPollInterval and CancelFlushTimeout must be positive");
        }

        if (DriveBufferBytes is <= 0 || FallbackDriveBufferBytes <= 0)
        {
            throw new ArgumentException("DriveBufferBytes and FallbackDriveBufferBytes must be positive byte counts");
        }

        return this;
    }
}
