namespace Farm.Device.Mastering;

/// <summary>
/// ECMA-119 9.1: one directory record. Byte offsets (BP-1 of the standard's tables):
/// 0 length of record, 1 extended attribute record length, 2 location of extent (both-endian,
/// 7.3.3), 10 data length (7.3.3), 18 recording date (7 bytes, 9.1.5), 25 file flags (9.1.6),
/// 26 file unit size, 27 interleave gap size, 28 volume sequence number (7.2.3),
/// 32 length of file identifier, 33 file identifier, then one padding byte when the identifier's
/// length is even (9.1.12) so that every record has an even length.
/// </summary>
internal static class DirectoryRecord
{
    /// <summary>The identifier of a directory's own record (9.1.11): one byte 00h.</summary>
    public static readonly byte[] Self = [0x00];

    /// <summary>The identifier of the parent's record: one byte 01h.</summary>
    public static readonly byte[] ParentOf = [0x01];

    /// <summary>9.1.6 bit 1: the record describes a directory.</summary>
    public const byte DirectoryFlag = 0x02;

    /// <summary>9.1.6 bit 7: the file continues in the next record (another extent).</summary>
    public const byte MultiExtentFlag = 0x80;

    /// <summary>9.1.1: 33 fixed bytes, the identifier, and a pad byte when its length is even.</summary>
    public static int Length(int identifierLength) => 33 + identifierLength + (identifierLength % 2 == 0 ? 1 : 0);

    /// <summary>Writes one record at the start of <paramref name="destination"/>; returns its length.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<byte> identifier, long lba, long dataLength, DateTimeOffset recorded, byte flags)
    {
        var length = Length(identifier.Length);
        if (length > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(identifier), identifier.Length, "a directory record holds at most 222 identifier bytes");
        }

        var record = destination[..length];
        record.Clear();
        record[0] = (byte)length;
        record[1] = 0; // no extended attribute record
        IsoBytes.BothEndian32(record[2..], lba);
        IsoBytes.BothEndian32(record[10..], dataLength);
        IsoBytes.ShortDate(record[18..25], recorded);
        record[25] = flags;
        record[26] = 0; // not interleaved
        record[27] = 0;
        IsoBytes.BothEndian16(record[28..], 1); // the one volume of a set of one
        record[32] = (byte)identifier.Length;
        identifier.CopyTo(record[33..]);
        return length;
    }
}
