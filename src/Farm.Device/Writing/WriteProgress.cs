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
/// host FIFO's size and use.
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

    public long SectorsWritten => LastWrittenLba < StartLba ? 0 : LastWrittenLba - StartLba + 1;

    public double Fraction => SectorCount == 0 ? 1 : (double)SectorsWritten / SectorCount;
}
