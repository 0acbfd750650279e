using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>GET CONFIGURATION request type (MMC-6, "RT Field Definition", byte 1 bits 1-0).</summary>
public enum ConfigurationRequest : byte
{
    /// <summary>All features from the starting one on.</summary>
    All = 0b00,

    /// <summary>Only features whose Current bit is set.</summary>
    Current = 0b01,

    /// <summary>Exactly the one starting feature.</summary>
    One = 0b10,
}

/// <summary>READ TRACK INFORMATION address/number type (MMC-6, "Address/Number Type", byte 1 bits 1-0).</summary>
public enum TrackAddressType : byte
{
    /// <summary>The track containing this LBA.</summary>
    LogicalBlockAddress = 0b00,

    /// <summary>A track number; FFh is the invisible (or incomplete) track where writing continues.</summary>
    TrackNumber = 0b01,

    /// <summary>The first track of this session number.</summary>
    SessionNumber = 0b10,
}

/// <summary>
/// CLOSE TRACK/SESSION close function (MMC-6, byte 2 bits 2-0). What each does depends on the
/// profile (MMC-6 tables 22-27), which is why the write path picks it from a per-profile table.
/// </summary>
public enum CloseFunction : byte
{
    /// <summary>000b: stop de-icing / background format (DVD+RW, BD-RE).</summary>
    StopBackgroundFormat = 0b000,

    /// <summary>001b: close the logical track.</summary>
    CloseTrack = 0b001,

    /// <summary>010b: close the session (DVD±R: the disc stays appendable; CD: lead-in/out written).</summary>
    CloseSession = 0b010,

    /// <summary>101b: DVD+R: close the session and finalize with minimal radius.</summary>
    FinalizeMinimalRadius = 0b101,

    /// <summary>110b: DVD+R / DVD+R DL / BD-R: finalize the disc (no more sessions).</summary>
    FinalizeDisc = 0b110,
}

/// <summary>CDB builders for the MMC-specific commands (MMC-6 section 6).</summary>
public static partial class MmcCommands
{
    /// <summary>
    /// GET CONFIGURATION (MMC-6): <c>46 RT START(2) 00 00 00 ALLOC(2) 00</c>; byte 1 bits 1-0 the
    /// request type, bytes 2-3 the starting feature number, bytes 7-8 the allocation length.
    /// </summary>
    public static Cdb GetConfiguration(ConfigurationRequest request, ushort startingFeature, ushort allocationLength)
    {
        var cdb = new byte[10];
        cdb[0] = 0x46;
        cdb[1] = (byte)request;
        CdbFields.PutUInt16(cdb, 2, startingFeature);
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new($"GET CONFIGURATION (feature {startingFeature:X4}h)", cdb);
    }

    /// <summary>
    /// READ DISC INFORMATION (MMC-6): <c>51 TYPE 00 00 00 00 00 ALLOC(2) 00</c>; byte 1 bits 2-0
    /// the data type (000b standard disc information), bytes 7-8 the allocation length (34 for the
    /// standard block without OPC tables).
    /// </summary>
    public static Cdb ReadDiscInformation(ushort allocationLength = DiscInformation.StandardLength)
    {
        var cdb = new byte[10];
        cdb[0] = 0x51;
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new("READ DISC INFORMATION", cdb);
    }

    /// <summary>
    /// READ TRACK INFORMATION (MMC-6): <c>52 TYPE ADDRESS(4) 00 ALLOC(2) 00</c>; byte 1 bits 1-0
    /// the address type, bytes 2-5 the LBA / track / session number, bytes 7-8 the allocation length.
    /// </summary>
    public static Cdb ReadTrackInformation(TrackAddressType type, uint address, ushort allocationLength = TrackInformation.StandardLength)
    {
        var cdb = new byte[10];
        cdb[0] = 0x52;
        cdb[1] = (byte)type;
        CdbFields.PutUInt32(cdb, 2, address);
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new($"READ TRACK INFORMATION ({type} {address})", cdb);
    }

    /// <summary>
    /// CLOSE TRACK/SESSION (MMC-6): <c>5B IMMED FUNCTION 00 NUMBER(2) 00 00 00 00</c>; byte 1
    /// bit 0 Immed, byte 2 bits 2-0 the close function, bytes 4-5 the track or session number.
    /// </summary>
    public static Cdb CloseTrackSession(CloseFunction function, ushort number, bool immediate)
    {
        var cdb = new byte[10];
        cdb[0] = 0x5B;
        cdb[1] = (byte)(immediate ? 1 : 0);
        cdb[2] = (byte)function;
        CdbFields.PutUInt16(cdb, 4, number);
        return new($"CLOSE TRACK/SESSION ({function} {number})", cdb);
    }

    /// <summary>
    /// READ BUFFER CAPACITY (MMC-6): <c>5C BLOCK 00 00 00 00 00 ALLOC(2) 00</c>; byte 1 bit 0
    /// asks for blocks instead of bytes; 12 bytes answer.
    /// </summary>
    public static Cdb ReadBufferCapacity(ushort allocationLength = BufferCapacity.Length)
    {
        var cdb = new byte[10];
        cdb[0] = 0x5C;
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new("READ BUFFER CAPACITY", cdb);
    }
}
