using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// The operation codes the simulated drive implements, with their CDB length and data direction.
/// Throughout the simulator the standards are cited by command and table title rather than by
/// clause number, since clause numbers differ between the drafts in circulation.
/// </summary>
internal static class OperationCodes
{
    public const byte TestUnitReady = 0x00;             // SPC-4
    public const byte RequestSense = 0x03;              // SPC-4
    public const byte FormatUnit = 0x04;                // SBC-3, MMC-6
    public const byte Inquiry = 0x12;                   // SPC-4
    public const byte StartStopUnit = 0x1B;             // SBC-3, MMC-6
    public const byte PreventAllowMediumRemoval = 0x1E; // SPC-4, MMC-6
    public const byte ReadFormatCapacities = 0x23;      // MMC-6
    public const byte ReadCapacity = 0x25;              // SBC-3, MMC-6
    public const byte Read10 = 0x28;                    // SBC-3, MMC-6
    public const byte Write10 = 0x2A;                   // SBC-3, MMC-6
    public const byte SynchronizeCache = 0x35;          // SBC-3, MMC-6
    public const byte ReadTocPmaAtip = 0x43;            // MMC-6
    public const byte GetConfiguration = 0x46;          // MMC-6
    public const byte GetEventStatusNotification = 0x4A; // MMC-6
    public const byte ReadDiscInformation = 0x51;       // MMC-6
    public const byte ReadTrackInformation = 0x52;      // MMC-6
    public const byte ReserveTrack = 0x53;              // MMC-6
    public const byte SendOpcInformation = 0x54;        // MMC-6
    public const byte ModeSelect10 = 0x55;              // SPC-4, MMC-6
    public const byte ModeSense10 = 0x5A;               // SPC-4, MMC-6
    public const byte CloseTrackSession = 0x5B;         // MMC-6
    public const byte ReadBufferCapacity = 0x5C;        // MMC-6
    public const byte SendCueSheet = 0x5D;              // MMC-6
    public const byte Blank = 0xA1;                     // MMC-6
    public const byte Read12 = 0xA8;                    // MMC-6
    public const byte Write12 = 0xAA;                   // MMC-6
    public const byte GetPerformance = 0xAC;            // MMC-6
    public const byte SetStreaming = 0xB6;              // MMC-6
    public const byte SetCdSpeed = 0xBB;                // MMC-6
    public const byte ReadCd = 0xBE;                    // MMC-6

    /// <summary>
    /// The CDB length fixed by the opcode's group (SPC-4: group 0 six bytes, groups 1-2
    /// ten, group 5 twelve) and the direction of its data phase; null for an opcode the drive
    /// does not implement.
    /// </summary>
    public static (int CdbLength, DataDirection Direction)? Describe(byte operationCode) => operationCode switch
    {
        TestUnitReady or StartStopUnit or PreventAllowMediumRemoval => (6, DataDirection.None),
        RequestSense or Inquiry => (6, DataDirection.FromDevice),
        FormatUnit => (6, DataDirection.ToDevice),
        SynchronizeCache or CloseTrackSession or ReserveTrack => (10, DataDirection.None),
        ReadCapacity or Read10 or GetConfiguration or ReadDiscInformation or ReadTrackInformation or ReadBufferCapacity
            or ReadFormatCapacities or GetEventStatusNotification or ModeSense10 or ReadTocPmaAtip => (10, DataDirection.FromDevice),
        Write10 or ModeSelect10 or SendOpcInformation or SendCueSheet => (10, DataDirection.ToDevice),
        Blank or SetCdSpeed => (12, DataDirection.None),
        Read12 or GetPerformance or ReadCd => (12, DataDirection.FromDevice),
        Write12 or SetStreaming => (12, DataDirection.ToDevice),
        _ => null,
    };
}
