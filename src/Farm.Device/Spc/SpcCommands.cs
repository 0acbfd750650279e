using Farm.Device.Transports;

namespace Farm.Device.Spc;

/// <summary>
/// CDB builders for the primary commands every SCSI device answers (SPC-4). Each method documents
/// its byte layout; unlisted bytes are zero (reserved, or CONTROL = 0).
/// </summary>
public static class SpcCommands
{
    /// <summary>TEST UNIT READY (SPC-4 6.47): <c>00 00 00 00 00 00</c>.</summary>
    public static Cdb TestUnitReady() => new("TEST UNIT READY", new byte[6]);

    /// <summary>
    /// REQUEST SENSE (SPC-4 6.39): <c>03 DESC 00 00 ALLOC 00</c>; byte 1 bit 0 asks for descriptor
    /// format; byte 4 is the allocation length (252 is the largest sense SPC allows).
    /// </summary>
    public static Cdb RequestSense(byte allocationLength = 252, bool descriptorFormat = false) =>
        new("REQUEST SENSE", [0x03, (byte)(descriptorFormat ? 1 : 0), 0, 0, allocationLength, 0]);

    /// <summary>
    /// INQUIRY (SPC-4 6.6), standard data: <c>12 00 00 ALLOC(2) 00</c>; bytes 3-4 the
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
    /// PREVENT ALLOW MEDIUM REMOVAL (SPC-4 6.13 / MMC-6 6.12): <c>1E 00 00 00 PREVENT 00</c>;
    /// byte 4 bit 0 = prevent. Held while writing so nobody ejects a disc mid-burn.
    /// </summary>
    public static Cdb PreventAllowMediumRemoval(bool prevent) =>
        new(prevent ? "PREVENT MEDIUM REMOVAL" : "ALLOW MEDIUM REMOVAL", [0x1E, 0, 0, 0, (byte)(prevent ? 1 : 0), 0]);
}
