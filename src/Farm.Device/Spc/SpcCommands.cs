using Farm.Device.Transports;

namespace Farm.Device.Spc;

/// <summary>MODE SENSE page control (SPC-4 table 98, CDB byte 2 bits 7-6): which values of a page to return.</summary>
public enum ModePageControl : byte
{
    /// <summary>The values in effect now.</summary>
    Current = 0b00,

    /// <summary>A mask of the bits MODE SELECT may change.</summary>
    Changeable = 0b01,

    /// <summary>The power-on defaults.</summary>
    Default = 0b10,

    /// <summary>The values saved in non-volatile memory.</summary>
    Saved = 0b11,
}

/// <summary>
/// CDB builders for the primary commands every SCSI device answers (SPC-4). Each method documents
/// its byte layout; unlisted bytes are zero (reserved, or CONTROL = 0).
/// </summary>
public static class SpcCommands
{
    /// <summary>TEST UNIT READY (SPC-4): <c>00 00 00 00 00 00</c>.</summary>
    public static Cdb TestUnitReady() => new("TEST UNIT READY", new byte[6]);

    /// <summary>
    /// REQUEST SENSE (SPC-4): <c>03 DESC 00 00 ALLOC 00</c>; byte 1 bit 0 asks for descriptor
    /// format; byte 4 is the allocation length (252 is the largest sense SPC allows).
    /// </summary>
    public static Cdb RequestSense(byte allocationLength = 252, bool descriptorFormat = false) =>
        new("REQUEST SENSE", [0x03, (byte)(descriptorFormat ? 1 : 0), 0, 0, allocationLength, 0]);

    /// <summary>
    /// INQUIRY (SPC-4), standard data: <c>12 00 00 ALLOC(2) 00</c>; bytes 3-4 the
    /// allocation length (96 covers vendor, product and revision).
    /// </summary>
    public static Cdb Inquiry(ushort allocationLength = 96)
    {
        var cdb = new byte[6];
        cdb[0] = 0x12;
        CdbFields.PutUInt16(cdb, 3, allocationLength);
        return new("INQUIRY", cdb);
    }

    /// <summary>
    /// PREVENT ALLOW MEDIUM REMOVAL (SPC-4, MMC-6): <c>1E 00 00 00 PREVENT 00</c>;
    /// byte 4 bit 0 = prevent. Held while writing so nobody ejects a disc mid-burn.
    /// </summary>
    public static Cdb PreventAllowMediumRemoval(bool prevent) =>
        new(prevent ? "PREVENT MEDIUM REMOVAL" : "ALLOW MEDIUM REMOVAL", [0x1E, 0, 0, 0, (byte)(prevent ? 1 : 0), 0]);

    /// <summary>
    /// MODE SENSE(10) (SPC-4, MMC-6): <c>5A DBD PC|PAGE SUBPAGE 00 00 00 ALLOC(2) 00</c>;
    /// byte 1 bit 3 DBD (no block descriptors), byte 2 bits 7-6 page control and bits 5-0 page code,
    /// byte 3 the subpage, bytes 7-8 the allocation length. MMC drives answer without block
    /// descriptors either way; DBD stays clear by default as libburn and cdrecord send it.
    /// </summary>
    public static Cdb ModeSense10(byte pageCode, ushort allocationLength, ModePageControl control = ModePageControl.Current, bool disableBlockDescriptors = false, byte subpage = 0)
    {
        var cdb = new byte[10];
        cdb[0] = 0x5A;
        cdb[1] = (byte)(disableBlockDescriptors ? 0x08 : 0x00);
        cdb[2] = (byte)(((byte)control << 6) | (pageCode & 0x3F));
        cdb[3] = subpage;
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new($"MODE SENSE(10) (page {pageCode & 0x3F:X2}h {control})", cdb);
    }

    /// <summary>
    /// MODE SELECT(10) (SPC-4, MMC-6): <c>55 PF|SP 00 00 00 00 00 LENGTH(2) 00</c>; byte 1
    /// bit 4 PF (the pages follow the SPC page format; MMC drives require it), bit 0 SP (save the
    /// pages); bytes 7-8 the parameter list length (mode parameter header plus pages).
    /// </summary>
    public static Cdb ModeSelect10(ushort parameterListLength, bool pageFormat = true, bool savePages = false)
    {
        var cdb = new byte[10];
        cdb[0] = 0x55;
        cdb[1] = (byte)((pageFormat ? 0x10 : 0x00) | (savePages ? 0x01 : 0x00));
        CdbFields.PutUInt16(cdb, 7, parameterListLength);
        return new($"MODE SELECT(10) ({parameterListLength} bytes)", cdb);
    }
}
