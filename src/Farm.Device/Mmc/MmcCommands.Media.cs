using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>BLANK blanking type (MMC-5 BLANK command, byte 1 bits 2-0). CD-RW and DVD-RW sequential only.</summary>
public enum BlankingType : byte
{
    /// <summary>000b: the whole disc (slow: every block is rewritten).</summary>
    Full = 0b000,

    /// <summary>001b: minimal: PMA, TOC / lead-in and the first pre-gap; the disc reads as blank.</summary>
    Minimal = 0b001,

    /// <summary>010b: one track (the start address is the track number).</summary>
    Track = 0b010,

    /// <summary>011b: unreserve the incomplete track.</summary>
    UnreserveTrack = 0b011,

    /// <summary>100b: a track's tail from the start address (an LBA) on.</summary>
    TrackTail = 0b100,

    /// <summary>101b: reopen the last session.</summary>
    UncloseLastSession = 0b101,

    /// <summary>110b: the last non-empty session.</summary>
    Session = 0b110,
}

/// <summary>GET EVENT STATUS NOTIFICATION class request bits (MMC-5 6.7, CDB byte 4).</summary>
[Flags]
public enum NotificationClasses : byte
{
    None = 0x00,
    OperationalChange = 0x02,
    PowerManagement = 0x04,
    ExternalRequest = 0x08,
    Media = 0x10,
    MultipleHosts = 0x20,
    DeviceBusy = 0x40,
}

public static partial class MmcCommands
{
    /// <summary>
    /// GET EVENT STATUS NOTIFICATION (MMC-5 6.7), polled: <c>4A 01 00 00 CLASSES 00 00 ALLOC(2) 00</c>;
    /// byte 1 bit 0 Polled (asynchronous operation is not supported over pass-through), byte 4 the
    /// notification class request bits, bytes 7-8 the allocation length (8: header + one event).
    /// </summary>
    public static Cdb GetEventStatusNotification(NotificationClasses classes, ushort allocationLength = MediaEvent.Length)
    {
        var cdb = new byte[10];
        cdb[0] = 0x4A;
        cdb[1] = 0x01;
        cdb[4] = (byte)classes;
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new($"GET EVENT STATUS NOTIFICATION ({classes})", cdb);
    }

    /// <summary>
    /// RESERVE TRACK by size (MMC-5/MMC-6 RESERVE TRACK command, ARSV = 0):
    /// <c>53 RMZ 00 00 00 SIZE(4) 00</c>; byte 1 bit 1 RMZ (HD DVD-R: reserve a U-RMZ), bit 0 ARSV
    /// clear; bytes 5-8 the reservation size in blocks (DVD-R/RW disc-at-once: the whole track before
    /// writing; DVD+R rounds it up to a multiple of 16).
    /// </summary>
    public static Cdb ReserveTrack(uint blocks, bool reserveRecordingManagementZone = false)
    {
        var cdb = new byte[10];
        cdb[0] = 0x53;
        cdb[1] = (byte)(reserveRecordingManagementZone ? 0x02 : 0x00);
        CdbFields.PutUInt32(cdb, 5, blocks);
        return new($"RESERVE TRACK ({blocks} blocks)", cdb);
    }

    /// <summary>
    /// RESERVE TRACK by address (MMC-6 RESERVE TRACK command, ARSV = 1, the later form older drives
    /// may reject): <c>53 01 LBA(4) 00 00 00 00</c>; bytes 2-5 the reservation LBA, the first block
    /// after the reserved track (its last block is LBA - 1); RMZ must be clear.
    /// </summary>
    public static Cdb ReserveTrackToAddress(uint reservationLba)
    {
        var cdb = new byte[10];
        cdb[0] = 0x53;
        cdb[1] = 0x01;
        CdbFields.PutUInt32(cdb, 2, reservationLba);
        return new($"RESERVE TRACK (up to LBA {reservationLba})", cdb);
    }

    /// <summary>
    /// SEND OPC INFORMATION (MMC-5 SEND OPC INFORMATION command): <c>54 DOOPC 00 00 00 00 00 LENGTH(2) 00</c>; byte 1 bit 0
    /// DoOpc: perform optimum power calibration now (no parameter list when the length is zero).
    /// </summary>
    public static Cdb SendOpcInformation(bool doOpc = true, ushort parameterListLength = 0)
    {
        var cdb = new byte[10];
        cdb[0] = 0x54;
        cdb[1] = (byte)(doOpc ? 0x01 : 0x00);
        CdbFields.PutUInt16(cdb, 7, parameterListLength);
        return new(doOpc ? "SEND OPC INFORMATION (do OPC)" : "SEND OPC INFORMATION", cdb);
    }

    /// <summary>
    /// BLANK (MMC-5 BLANK command): <c>A1 IMMED|TYPE ADDRESS(4) 00 00 00 00 00 00</c>; byte 1 bit 4 Immed, bits
    /// 2-0 the blanking type; bytes 2-5 the start address or track number (types 010b, 100b).
    /// </summary>
    public static Cdb Blank(BlankingType type, bool immediate, uint startAddressOrTrack = 0)
    {
        var cdb = new byte[12];
        cdb[0] = 0xA1;
        cdb[1] = (byte)((immediate ? 0x10 : 0x00) | ((byte)type & 0x07));
        CdbFields.PutUInt32(cdb, 2, startAddressOrTrack);
        return new($"BLANK ({type})", cdb);
    }

    /// <summary>
    /// FORMAT UNIT (MMC-5 6.5): <c>04 11 00 00 00 00</c>; byte 1 bit 4 FmtData (a parameter list
    /// follows), bit 3 CmpList clear, bits 2-0 format code 001b. The list is a
    /// <see cref="FormatDescriptor.ToParameterList"/>: Immed lives in its header, not in the CDB.
    /// </summary>
    public static Cdb FormatUnit() => new("FORMAT UNIT", [0x04, 0x11, 0, 0, 0, 0]);

    /// <summary>
    /// READ FORMAT CAPACITIES (MMC-5 6.24): <c>23 00 00 00 00 00 00 ALLOC(2) 00</c>; bytes 7-8 the
    /// allocation length (a header, the current/maximum descriptor and up to 32 format descriptors
    /// fit in 260 bytes).
    /// </summary>
    public static Cdb ReadFormatCapacities(ushort allocationLength = FormatCapacities.MaximumLength)
    {
        var cdb = new byte[10];
        cdb[0] = 0x23;
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new("READ FORMAT CAPACITIES", cdb);
    }
}
