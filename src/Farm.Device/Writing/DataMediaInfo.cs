using Farm.Device.Mmc;

namespace Farm.Device.Writing;

/// <summary>
/// IMAPI_FORMAT2_DATA_MEDIA_STATE, with the values imapi2.h gives them (Microsoft's
/// IMAPI_FORMAT2_DATA_MEDIA_STATE enumeration page; not among the seeds). Bits of
/// <see cref="UnsupportedMask"/> mean the disc cannot take a data write as it is.
/// </summary>
[Flags]
public enum DataMediaState
{
    Unknown = 0,
    OverwriteOnly = 0x1,
    Blank = 0x2,
    Appendable = 0x4,
    FinalSession = 0x8,
    InformationalMask = 0xF,
    Damaged = 0x400,
    EraseRequired = 0x800,
    NonEmptySession = 0x1000,
    WriteProtected = 0x2000,
    Finalized = 0x4000,
    UnsupportedMedia = 0x8000,
    UnsupportedMask = 0xFC00,
}

/// <summary>IMAPI_MEDIA_WRITE_PROTECT_STATE (imapi2.h values): why a medium cannot be written.</summary>
[Flags]
public enum WriteProtectState
{
    None = 0,
    UntilPowerDown = 0x1,
    ByCartridge = 0x2,
    ByMediaSpecificReason = 0x4,
    BySoftwareWriteProtect = 0x8,
    ByDiscControlBlock = 0x10,
    ReadOnlyMedia = 0x4000,
}

/// <summary>
/// The IDiscFormat2Data properties about the loaded medium, read in one go
/// (<see cref="DataWriter.ReadMediaAsync"/>). Addresses are LBAs; null where IMAPI2 would fail
/// the property (no previous session; no writable address on a closed disc).
/// </summary>
public sealed record DataMediaInfo(
    Profile Profile,
    DataMediaState CurrentMediaStatus,
    WriteProtectState WriteProtectStatus,
    long TotalSectorsOnMedia,
    long FreeSectorsOnMedia,
    long? NextWritableAddress,
    long? StartAddressOfPreviousSession,
    long? LastWrittenAddressOfPreviousSession,
    int Sessions,
    IReadOnlyList<uint> SupportedWriteSpeedsKBps)
{
    /// <summary>SupportedWriteSpeeds as IMAPI2 gives them: sectors per second.</summary>
    public IReadOnlyList<int> SupportedWriteSpeeds => [.. SupportedWriteSpeedsKBps.Select(k => (int)(k * 1000L / MmcDrive.BlockSize))];

    /// <summary>True when a data write can go ahead on this medium as it is.</summary>
    public bool IsWritable => (CurrentMediaStatus & DataMediaState.UnsupportedMask) == 0 && FreeSectorsOnMedia > 0;
}
