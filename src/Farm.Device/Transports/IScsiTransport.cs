namespace Farm.Device.Transports;

/// <summary>Which way a command's data phase moves.</summary>
public enum DataDirection
{
    /// <summary>No data phase (TEST UNIT READY, SYNCHRONIZE CACHE, CLOSE TRACK/SESSION...).</summary>
    None = 0,

    /// <summary>Device to host (INQUIRY, READ, GET CONFIGURATION...).</summary>
    FromDevice = 1,

    /// <summary>Host to device (WRITE, MODE SELECT, SEND OPC INFORMATION...).</summary>
    ToDevice = 2,
}

/// <summary>SAM status byte (SAM-5 table 42).</summary>
public enum ScsiStatus : byte
{
    Good = 0x00,
    CheckCondition = 0x02,
    ConditionMet = 0x04,
    Busy = 0x08,
    ReservationConflict = 0x18,
    TaskSetFull = 0x28,
    AcaActive = 0x30,
    TaskAborted = 0x40,
}

/// <summary>
/// What one command returned: the status byte, the sense bytes when the status is CHECK CONDITION
/// (fixed or descriptor format, undecoded) and the residual (bytes of the data phase not moved).
/// </summary>
public readonly record struct ScsiResult(ScsiStatus Status, ReadOnlyMemory<byte> Sense, int Residual)
{
    public static ScsiResult Good(int residual = 0) => new(ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, residual);

    public static ScsiResult CheckCondition(ReadOnlyMemory<byte> sense) => new(ScsiStatus.CheckCondition, sense, 0);

    public bool IsGood => Status == ScsiStatus.Good;
}

/// <summary>
/// Executes one CDB with its data phase. Implemented by the Linux SG_IO and Windows SPTI
/// pass-through, libiscsi, and the simulated drive. An implementation is used by one owner
/// at a time (the drive's RecorderActor); it is not required to be thread-safe.
/// </summary>
public interface IScsiTransport : IAsyncDisposable
{
    /// <summary>A name for messages: a device path, an iSCSI URL, "sim:DVD+R#2".</summary>
    string Name { get; }

    /// <summary>The largest data phase the adapter accepts in one command, in bytes.</summary>
    int MaxTransferBytes { get; }

    /// <summary>
    /// Sends <paramref name="cdb"/>. For <see cref="DataDirection.ToDevice"/> the device reads
    /// <paramref name="data"/>; for <see cref="DataDirection.FromDevice"/> it fills it (the
    /// residual says how much it did not fill). A command that does not complete within
    /// <paramref name="timeout"/> throws <see cref="ScsiTransportException"/> with
    /// <see cref="TransportFailure.Timeout"/>.
    /// </summary>
    ValueTask<ScsiResult> ExecuteAsync(
        ReadOnlyMemory<byte> cdb,
        DataDirection direction,
        Memory<byte> data,
        TimeSpan timeout,
        CancellationToken cancellationToken);
}
