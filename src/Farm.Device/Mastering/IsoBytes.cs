using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Farm.Device.Mastering;

/// <summary>
/// The numeric, date and string field encodings of ECMA-119 section 7 and the two date forms
/// (9.1.5 for directory records, 8.4.26.1 for volume descriptors). Every builder writes its
/// fields through these, so an encoding is written (and tested) once.
/// </summary>
internal static class IsoBytes
{
    /// <summary>7.2.3: a 16-bit number both-byte orders (little-endian, then big-endian); 4 bytes.</summary>
    public static void BothEndian16(Span<byte> field, int value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(field, checked((ushort)value));
        BinaryPrimitives.WriteUInt16BigEndian(field[2..], (ushort)value);
    }

    /// <summary>7.3.3: a 32-bit number both-byte orders (little-endian, then big-endian); 8 bytes.</summary>
    public static void BothEndian32(Span<byte> field, long value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)value));
        BinaryPrimitives.WriteUInt32BigEndian(field[4..], (uint)value);
    }

    /// <summary>
    /// 9.1.5: the 7-byte recording date of a directory record: years since 1900, month, day,
    /// hour, minute, second, and the offset from Greenwich in 15-minute steps. We always write
    /// UTC (offset 0) so the image does not depend on the machine's time zone; years outside
    /// 1900-2155 are clamped to the range the byte can hold.
    /// </summary>
    public static void ShortDate(Span<byte> field, DateTimeOffset when)
    {
        var utc = Clamp(when).UtcDateTime;
        field[0] = (byte)(utc.Year - 1900);
        field[1] = (byte)utc.Month;
        field[2] = (byte)utc.Day;
        field[3] = (byte)utc.Hour;
        field[4] = (byte)utc.Minute;
        field[5] = (byte)utc.Second;
        field[6] = 0;
    }

    /// <summary>
    /// 8.4.26.1: the 17-byte volume date: "YYYYMMDDHHMMSScc" in ASCII digits (cc = hundredths)
    /// and the offset byte. Null is "not specified": sixteen '0' digits and offset 0.
    /// </summary>
    public static void LongDate(Span<byte> field, DateTimeOffset? when)
    {
        var digits = when is { } value
            ? Clamp(value).UtcDateTime.ToString("yyyyMMddHHmmssff", CultureInfo.InvariantCulture)
            : new string('0', 16);
        Encoding.ASCII.GetBytes(digits, field);
        field[16] = 0;
    }

    /// <summary>7.4: an a- or d-character field, left-justified and padded with spaces (20h).</summary>
    public static void Padded(Span<byte> field, string text)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(text.AsSpan(0, Math.Min(text.Length, field.Length)), field);
    }

    /// <summary>
    /// A character field of a Joliet descriptor: UCS-2 big-endian, padded with UCS-2 spaces
    /// (00h 20h); an odd trailing byte (the 37-byte file identifier fields) stays 00h.
    /// </summary>
    public static void PaddedUcs2(Span<byte> field, string text)
    {
        field.Clear();
        for (var at = 0; at + 1 < field.Length; at += 2)
        {
            var index = at / 2;
            BinaryPrimitives.WriteUInt16BigEndian(field[at..], index < text.Length ? text[index] : ' ');
        }
    }

    /// <summary>A file identifier in UCS-2 big-endian (Joliet names are stored this way).</summary>
    public static byte[] Ucs2(ReadOnlySpan<char> text)
    {
        var bytes = new byte[Encoding.BigEndianUnicode.GetByteCount(text)];
        Encoding.BigEndianUnicode.GetBytes(text, bytes);
        return bytes;
    }

    // 9.1.5 holds years 1900-2155; the 17-byte form holds 0001-9999, the narrower range serves both.
    private static DateTimeOffset Clamp(DateTimeOffset when)
    {
        var earliest = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var latest = new DateTimeOffset(2155, 12, 31, 23, 59, 59, TimeSpan.Zero);
        return when < earliest ? earliest : when > latest ? latest : when;
    }
}
