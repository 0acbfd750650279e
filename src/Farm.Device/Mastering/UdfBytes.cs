using System.Buffers.Binary;
using System.Text;

namespace Farm.Device.Mastering;

/// <summary>
/// The field encodings every UDF structure is written through (ECMA-167 parts 1, 3 and 4 as
/// profiled by OSTA UDF 2.01 section 2.1): the descriptor tag with its checksum and CRC, the
/// timestamp, the OSTA CS0 character set, dstrings, entity identifiers and the extent and
/// allocation descriptors. Numbers are little-endian (1/7.1.3, 1/7.1.5).
/// </summary>
internal static class UdfBytes
{
    public const int TagBytes = 16;

    /// <summary>ECMA-167 1/7.2.1 charspec type 0 with UDF 2.1.2's "OSTA Compressed Unicode".</summary>
    private static readonly byte[] OstaCompressedUnicode = "OSTA Compressed Unicode"u8.ToArray();

    /// <summary>CRC-CCITT (x^16 + x^12 + x^5 + 1, initial 0, ECMA-167 3/7.2.6), one entry per byte value.</summary>
    private static readonly ushort[] CrcTable = BuildCrcTable();

    /// <summary>
    /// 3/7.2: fills in the 16-byte tag at the start of <paramref name="descriptor"/> (identifier,
    /// version, serial number, location) with the CRC over the bytes after it (7.2.6) and the
    /// checksum of the tag's other bytes (7.2.3). Call it last, once the descriptor is complete.
    /// </summary>
    public static void Tag(Span<byte> descriptor, ushort identifier, ushort version, long location)
    {
        var body = descriptor[TagBytes..];
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor, identifier);
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[2..], version);
        descriptor[5] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[6..], 1);                      // serial number
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[8..], Crc(body));
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor[10..], checked((ushort)body.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor[12..], checked((uint)location));
        byte sum = 0;
        for (var i = 0; i < TagBytes; i++)
        {
            sum += i == 4 ? (byte)0 : descriptor[i];
        }

        descriptor[4] = sum;
    }

    public static ushort Crc(ReadOnlySpan<byte> bytes)
    {
        ushort crc = 0;
        foreach (var b in bytes)
        {
            crc = (ushort)((crc << 8) ^ CrcTable[(crc >> 8) ^ b]);
        }

        return crc;
    }

    /// <summary>
    /// 1/7.3: the 12-byte timestamp. Type 1 (local time) with offset 0 is UTC: the image does not
    /// depend on the machine's time zone. Years outside 1-9999 cannot occur in a DateTimeOffset.
    /// </summary>
    public static void Timestamp(Span<byte> field, DateTimeOffset when)
    {
        var utc = when.UtcDateTime;
        BinaryPrimitives.WriteUInt16LittleEndian(field, 0x1000);                            // type 1, offset 0 minutes
        BinaryPrimitives.WriteInt16LittleEndian(field[2..], (short)utc.Year);
        field[4] = (byte)utc.Month;
        field[5] = (byte)utc.Day;
        field[6] = (byte)utc.Hour;
        field[7] = (byte)utc.Minute;
        field[8] = (byte)utc.Second;
        var ticks = utc.Ticks % TimeSpan.TicksPerSecond;                                       // 100 ns each
        var microseconds = ticks / 10;
        field[9] = (byte)(microseconds / 10_000);                                              // centiseconds
        field[10] = (byte)(microseconds / 100 % 100);                                          // hundreds of microseconds
        field[11] = (byte)(microseconds % 100);                                                // microseconds
    }

    /// <summary>1/7.2.1 charspec: character set type 0 (CS0) with the OSTA information (UDF 2.1.2).</summary>
    public static void Charspec(Span<byte> field)
    {
        field[..64].Clear();
        OstaCompressedUnicode.CopyTo(field[1..]);
    }

    /// <summary>
    /// UDF 2.1.1: OSTA Compressed Unicode. Compression ID 8 (one byte a character) when every
    /// character is below U+0100, else 16 (UTF-16 code units, big-endian). The ID byte comes first.
    /// </summary>
    public static byte[] Cs0(string text)
    {
        var narrow = text.All(c => c < 0x100);
        var bytes = new byte[1 + (text.Length * (narrow ? 1 : 2))];
        bytes[0] = narrow ? (byte)8 : (byte)16;
        if (narrow)
        {
            Encoding.Latin1.GetBytes(text, bytes.AsSpan(1));
        }
        else
        {
            Encoding.BigEndianUnicode.GetBytes(text, bytes.AsSpan(1));
        }

        return bytes;
    }

    /// <summary>
    /// 1/7.2.12: a dstring of the field's length: CS0 bytes, zeros, and the used length in the
    /// last byte. A label too long for the field keeps as many whole characters as fit (labels,
    /// unlike file names, are cut: the field sizes are fixed by the standard).
    /// </summary>
    public static void Dstring(Span<byte> field, string text)
    {
        field.Clear();
        if (text.Length == 0)
        {
            return;
        }

        var cs0 = Cs0(text);
        var width = cs0[0] == 8 ? 1 : 2;
        var used = Math.Min(cs0.Length, 1 + ((field.Length - 2) / width * width));
        if (width == 2 && char.IsHighSurrogate((char)((cs0[used - 2] << 8) | cs0[used - 1])))
        {
            used -= 2; // never half a surrogate pair
        }

        cs0.AsSpan(0, used).CopyTo(field);
        field[^1] = (byte)used;
    }

    /// <summary>
    /// 1/7.4 entity identifier (regid): flags 0, the identifier, and its 8-byte suffix. UDF 2.1.5
    /// gives the suffixes: domain (revision, domain flags), UDF (revision, OS class, OS
    /// identifier) and implementation (OS class, OS identifier).
    /// </summary>
    public static void Regid(Span<byte> field, string identifier, ReadOnlySpan<byte> suffix)
    {
        field[..32].Clear();
        Encoding.ASCII.GetBytes(identifier, field[1..24]);
        suffix.CopyTo(field[24..32]);
    }

    /// <summary>UDF 2.1.5.3: the domain identifier suffix, revision then flags (0: not write-protected).</summary>
    public static byte[] DomainSuffix(UdfRevision revision) => [(byte)revision, (byte)((int)revision >> 8), 0, 0, 0, 0, 0, 0];

    /// <summary>UDF 2.1.5.3: the UDF identifier suffix, revision, OS class 0 and identifier 0 (undefined).</summary>
    public static byte[] UdfSuffix(UdfRevision revision) => [(byte)revision, (byte)((int)revision >> 8), 0, 0, 0, 0, 0, 0];

    /// <summary>UDF 2.1.5.3: the implementation suffix, OS class 4 (UNIX) and identifier 0 (generic).</summary>
    public static byte[] ImplementationSuffix() => [4, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Our implementation identifier (UDF 2.1.5.2: a '*' then a name unique to the implementation).</summary>
    public static void Implementation(Span<byte> field) => Regid(field, "*BurnFarm", ImplementationSuffix());

    /// <summary>3/7.1 extent_ad: length in bytes, then location (sector).</summary>
    public static void ExtentAd(Span<byte> field, long length, long location)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)length));
        BinaryPrimitives.WriteUInt32LittleEndian(field[4..], checked((uint)location));
    }

    /// <summary>4/14.14.1 short_ad: recorded-and-allocated extent (type 0) of a length under 1 GiB, then its partition block.</summary>
    public static void ShortAd(Span<byte> field, long length, long block)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)length));
        BinaryPrimitives.WriteUInt32LittleEndian(field[4..], checked((uint)block));
    }

    /// <summary>
    /// 4/14.14.2 long_ad: length, lb_addr (block, partition reference) and 6 bytes of
    /// implementation use, where UDF 2.00+ (2.3.10.1) keeps flags and the entry's unique ID's
    /// low 32 bits for a File Identifier Descriptor.
    /// </summary>
    public static void LongAd(Span<byte> field, long length, long block, int partition, uint uniqueId = 0)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(field, checked((uint)length));
        BinaryPrimitives.WriteUInt32LittleEndian(field[4..], checked((uint)block));
        BinaryPrimitives.WriteUInt16LittleEndian(field[8..], checked((ushort)partition));
        BinaryPrimitives.WriteUInt16LittleEndian(field[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(field[12..], uniqueId);
    }

    private static ushort[] BuildCrcTable()
    {
        var table = new ushort[256];
        for (var value = 0; value < 256; value++)
        {
            var crc = value << 8;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }

            table[value] = (ushort)crc;
        }

        return table;
    }
}
