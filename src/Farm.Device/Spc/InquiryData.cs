using System.Text;

namespace Farm.Device.Spc;

/// <summary>
/// Standard INQUIRY data (SPC-4, "Standard INQUIRY data format"): byte 0 bits 4-0 peripheral device type (05h = CD/DVD);
/// bytes 8-15 vendor, 16-31 product, 32-35 revision, ASCII padded with spaces.
/// </summary>
public sealed record InquiryData(byte PeripheralDeviceType, string Vendor, string Product, string Revision)
{
    /// <summary>Peripheral device type of an MMC (optical) device.</summary>
    public const byte MultiMediaDevice = 0x05;

    /// <summary>The shortest answer that still holds vendor, product and revision.</summary>
    public const int MinimumLength = 36;

    public static bool TryParse(ReadOnlySpan<byte> data, out InquiryData inquiry, out string? problem)
    {
        inquiry = new InquiryData(0, "", "", "");
        if (data.Length < MinimumLength)
        {
            problem = $"INQUIRY data is {data.Length} bytes; at least {MinimumLength} are needed for vendor, product and revision";
            return false;
        }

        inquiry = new InquiryData(
            (byte)(data[0] & 0x1F),
            Ascii(data[8..16]),
            Ascii(data[16..32]),
            Ascii(data[32..36]));
        problem = null;
        return true;
    }

    private static string Ascii(ReadOnlySpan<byte> field)
    {
        // Printable ASCII only: some firmware pads with NULs or puts garbage after the name.
        Span<char> chars = stackalloc char[field.Length];
        for (var i = 0; i < field.Length; i++)
        {
            chars[i] = field[i] is >= 0x20 and < 0x7F ? (char)field[i] : ' ';
        }

        return new string(chars).Trim();
    }

    public override string ToString() => $"{Vendor} {Product} {Revision}".Trim();
}
