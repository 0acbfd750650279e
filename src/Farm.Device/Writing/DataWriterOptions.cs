using Farm.Messages;

namespace Farm.Device.Writing;

/// <summary>How a <see cref="DataWriter"/> writes one image; validated before anything is sent.</summary>
public sealed record DataWriterOptions
{
    /// <summary>The host FIFO between the image reader and the drive (4-32 MiB keeps drives fed).</summary>
    public int FifoBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Bytes per WRITE; null picks the profile's (32 KiB CD/DVD, 64 KiB BD), capped by the transport.</summary>
    public int? ChunkBytes { get; init; }

    /// <summary>WRITE(12) with the Streaming bit instead of WRITE(10).</summary>
    public bool UseStreamingWrite12 { get; init; }

    /// <summary>Close the disc for good (IMAPI2 ForceMediaToBeClosed). A farm's copies are finished discs.</summary>
    public bool ForceMediaToBeClosed { get; init; } = true;

    public VerifyMode Verify { get; init; } = VerifyMode.Full;

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

        return this;
    }
}
