using System.Buffers.Binary;

namespace Farm.Device.Spc;

/// <summary>
/// Mode parameter header(10) (SPC-4 table 409): bytes 0-1 mode data length (the bytes that follow
/// the field), byte 2 medium type, byte 3 device-specific parameter, bytes 6-7 block descriptor
/// length; then the block descriptors, then the mode pages, each <c>PS|SPF|CODE LENGTH data...</c>.
/// </summary>
public sealed record ModeParameterHeader(int ModeDataLength, int BlockDescriptorLength)
{
    public const int Length = 8;

    /// <summary>A page's first two bytes: page code and page length (SPC-4 7.5.7).</summary>
    public const int PageHeaderLength = 2;

    /// <summary>
    /// The header of MODE SELECT data: mode data length reserved (zero, SPC-4 7.5.5) and no block
    /// descriptors, which MMC drives neither use nor want.
    /// </summary>
    public static byte[] ForModeSelect() => new byte[Length];

    public static bool TryParse(ReadOnlySpan<byte> data, out ModeParameterHeader header, out string? problem)
    {
        header = new ModeParameterHeader(0, 0);
        if (data.Length < Length)
        {
            problem = $"mode parameter data is {data.Length} bytes, shorter than its {Length}-byte header";
            return false;
        }

        var modeDataLength = BinaryPrimitives.ReadUInt16BigEndian(data);
        if (modeDataLength != 0 && modeDataLength < Length - 2)
        {
            problem = $"mode data length {modeDataLength} does not even cover the rest of the {Length}-byte header";
            return false;
        }

        header = new ModeParameterHeader(modeDataLength, BinaryPrimitives.ReadUInt16BigEndian(data[6..]));
        problem = null;
        return true;
    }

    /// <summary>
    /// Finds the first mode page after the header and block descriptors and checks it is
    /// <paramref name="pageCode"/>. The page is cut to what is both declared (mode data length,
    /// page length) and present; a mode data length of zero (MODE SELECT form, where the field is
    /// reserved) means "the whole buffer". Page parsers check that the fields they read are there.
    /// </summary>
    public static bool TryGetPage(ReadOnlySpan<byte> data, byte pageCode, out ReadOnlySpan<byte> page, out string? problem)
    {
        page = default;
        if (!TryParse(data, out var header, out problem))
        {
            return false;
        }

        var end = header.ModeDataLength == 0 ? data.Length : (int)Math.Min(data.Length, header.ModeDataLength + 2L);
        var start = Length + (long)header.BlockDescriptorLength;
        if (start + PageHeaderLength > end)
        {
            problem = $"no room for page {pageCode:X2}h: the header and {header.BlockDescriptorLength} bytes of block descriptors leave {Math.Max(0, end - start)} of {end} bytes";
            return false;
        }

        var found = data[(int)start] & 0x3F;
        if (found != pageCode)
        {
            problem = $"asked for mode page {pageCode:X2}h, the drive answered page {found:X2}h";
            return false;
        }

        var declaredEnd = start + PageHeaderLength + data[(int)start + 1];
        page = data[(int)start..(int)Math.Min(end, declaredEnd)];
        problem = null;
        return true;
    }
}
