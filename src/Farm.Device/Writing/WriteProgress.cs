namespace Farm.Device.Writing;

/// <summary>What the data writer is doing (IMAPI2 IMAPI_FORMAT2_DATA_WRITE_ACTION).</summary>
public enum WriteAction
{
    ValidatingMedia = 0,
    FormattingMedia = 1,
    InitializingHardware = 2,
    CalibratingPower = 3,
    WritingData = 4,
    Finalization = 5,
    Completed = 6,
    Verifying = 7,
}

/// <summary>
/// Progress of a write, in the terms of IWriteEngine2EventArgs: where the write started, how many
/// sectors it has, the last sector read from the image and the last one sent to the drive, and the
/// host FIFO's size and use; plus the time so far and an estimate of the time left, and the
/// drive's own buffer as READ BUFFER CAPACITY last reported it (null until the engine may ask,
/// see <see cref="WriteEngine"/>).
/// </summary>
public sealed record WriteProgress(
    WriteAction Action,
    long StartLba,
    long SectorCount,
    long LastReadLba,
    long LastWrittenLba,
    long TotalSystemBuffer,
    long UsedSystemBuffer,
    TimeSpan Elapsed)
{
    public long FreeSystemBuffer => TotalSystemBuffer - UsedSystemBuffer;

    /// <summary>Estimated time left for the sectors not yet written; null when unknown.</summary>
    public TimeSpan? Remaining { get; init; }

    /// <summary>The drive's buffer at the last READ BUFFER CAPACITY, or null before the first one.</summary>
    public Mmc.BufferCapacity? DriveBuffer { get; init; }

    /// <summary>Bytes per second sent to the drive since the section started.</summary>
    public double BytesPerSecond => Elapsed <= TimeSpan.Zero ? 0 : SectorsWritten * (double)Mmc.MmcDrive.BlockSize / Elapsed.TotalSeconds;

    /// <summary>Fill of the host FIFO, 0 to 1.</summary>
    public double SystemBufferFill => TotalSystemBuffer <= 0 ? 0 : Math.Clamp((double)UsedSystemBuffer / TotalSystemBuffer, 0, 1);

    public long SectorsWritten => LastWrittenLba < StartLba ? 0 : LastWrittenLba - StartLba + 1;

    public double Fraction => SectorCount == 0 ? 1 : (double)SectorsWritten / SectorCount;
}
