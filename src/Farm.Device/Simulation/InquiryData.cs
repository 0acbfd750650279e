namespace Farm.Device.Simulation;

/// <summary>INQUIRY parameter data as the simulated drive returns it (SPC-4).</summary>
internal static class InquiryData
{
    /// <summary>Peripheral qualifier 000b, peripheral device type 05h (CD/DVD device, MMC).</summary>
    public const byte PeripheralMmcDevice = 0x05;

    public const byte SupportedPagesPage = 0x00;
    public const byte UnitSerialNumberPage = 0x80;

    /// <summary>
    /// Standard INQUIRY data, 36 bytes (SPC-4, table "Standard INQUIRY data format"):
    /// <code>
    /// byte 0      peripheral qualifier (7-5) = 000b, device type (4-0) = 05h
    /// byte 1      RMB (bit 7) = 1: removable medium
    /// byte 2      VERSION = 05h (SPC-3; MMC drives commonly claim it)
    /// byte 3      RESPONSE DATA FORMAT (3-0) = 2
    /// byte 4      ADDITIONAL LENGTH = 31 (36 - 5)
    /// bytes 5-7   flags, all zero (no SCCS, no command queuing)
    /// bytes 8-15  T10 VENDOR IDENTIFICATION, ASCII, space padded
    /// bytes 16-31 PRODUCT IDENTIFICATION
    /// bytes 32-35 PRODUCT REVISION LEVEL
    /// </code>
    /// </summary>
    public static byte[] Standard(SimulatedDriveOptions options)
    {
        var data = new byte[36];
        data[0] = PeripheralMmcDevice;
        data[1] = 0x80;
        data[2] = 0x05;
        data[3] = 0x02;
        data[4] = 36 - 5;
        SimulatedDriveOptions.PadAscii(options.Vendor, 8).CopyTo(data, 8);
        SimulatedDriveOptions.PadAscii(options.Product, 16).CopyTo(data, 16);
        SimulatedDriveOptions.PadAscii(options.Revision, 4).CopyTo(data, 32);
        return data;
    }

    /// <summary>
    /// VPD page 00h (SPC-4 "Supported VPD Pages"): device type, page code, page length
    /// (bytes 2-3), then the supported page codes in ascending order.
    /// </summary>
    public static byte[] SupportedPages() =>
        [PeripheralMmcDevice, SupportedPagesPage, 0x00, 0x02, SupportedPagesPage, UnitSerialNumberPage];

    /// <summary>VPD page 80h (SPC-4 "Unit Serial Number"): header as above, then the ASCII serial number.</summary>
    public static byte[] UnitSerialNumber(string serialNumber)
    {
        byte[] serial = SimulatedDriveOptions.PadAscii(serialNumber, serialNumber.Length);
        var data = new byte[4 + serial.Length];
        data[0] = PeripheralMmcDevice;
        data[1] = UnitSerialNumberPage;
        data[3] = (byte)serial.Length;
        serial.CopyTo(data, 4);
        return data;
    }
}
