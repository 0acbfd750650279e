using Farm.Messages;

namespace Farm.Device.Writing;

/// <summary>How a <see cref="DataWriter"/> writes one image; validated before anything is sent.</summary>
public sealed record DataWriterOptions
{
    /// <summary>The host FIFO between the image reader and the drive, in bytes (4-32 MiB keeps drives fed).</summary>
    public int FifoBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bytes per WRITE; null picks the profile's (32 KiB CD/DVD, 64 KiB BD), capped by the transport.</summary>
    public int? ChunkBytes { get; init; }

    /// <summary>WRITE(12) with the Streaming bit instead of WRITE(10).</summary>
    public bool UseStreamingWrite12 { get; init; }

    /// <summary>Close the disc for good (IMAPI2 ForceMediaToBeClosed). A farm's copies are finished discs.</summary>
    public bool ForceMediaToBeClosed { get; init; } = true;

    /// <summary>BUFE in write parameters page 05h (CD, DVD-R/-RW): buffer-underrun-free recording.</summary>
    public bool BufferUnderrunFree { get; init; } = true;

    /// <summary>The write speed asked for in the initialise step.</summary>
    public WriteSpeedRequest WriteSpeed { get; init; } = WriteSpeedRequest.Maximum;

    /// <summary>Send SEND OPC INFORMATION (power calibration) before writing; drives calibrate on their own otherwise.</summary>
    public bool PowerCalibration { get; init; } = true;

    public VerifyMode Verify { get; init; } = VerifyMode.Full;

    /// <summary>Sample points a quick verify reads (each a run of <see cref="QuickVerifyRunBlocks"/> blocks).</summary>
    public int QuickVerifySamples { get; init; } = 32;

    /// <summary>Blocks read at each quick verify sample point.</summary>
    public int QuickVerifyRunBlocks { get; init; } = 16;

    /// <summary>The drive's buffer in bytes if known (decides when READ BUFFER CAPACITY may be polled); null asks the drive.</summary>
    public long? DriveBufferBytes { get; init; }

    /// <summary>How often, at most, the drive's buffer is polled during a write.</summary>
    public TimeSpan DriveBufferPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public DataWriterOptions Validate()
    {
        if (FifoBytes is < 1024 * 1024 or > 256 * 1024 * 1024)
        {
            throw new ArgumentException($"FifoBytes must be between 1 MiB and 256 MiB, not {FifoBytes}");
        }

        if (ChunkBytes is { } chunk && (chunk <= 0 || chunk % 2048 != 0))
        {
            throw new ArgumentException($"ChunkBytes must be a positive multiple of 2048, not {chunk}");
        }

        if (QuickVerifySamples < 2 || QuickVerifyRunBlocks < 1)
        {
            throw new ArgumentException($"a quick verify needs at least 2 samples of at least 1 block, not {QuickVerifySamples} x {QuickVerifyRunBlocks}");
        }

        ArgumentNullException.ThrowIfNull(WriteSpeed);
        _ = EngineOptions();
        return this;
    }

    /// <summary>The engine settings these options imply.</summary>
    internal WriteEngineOptions EngineOptions() => new WriteEngineOptions
    {
        FifoBytes = FifoBytes,
        ChunkBytes = ChunkBytes ?? 32 * 1024,
        DriveBufferBytes = DriveBufferBytes,
        DriveBufferPollInterval = DriveBufferPollInterval,
    }.Validate();
}
