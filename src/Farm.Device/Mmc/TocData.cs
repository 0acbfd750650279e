using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>One descriptor of a formatted TOC (READ TOC/PMA/ATIP format 0000b).</summary>
/// <param name="Number">Track number, or AAh for the lead-out.</param>
/// <param name="Adr">Q sub-channel ADR (1: position).</param>
/// <param name="Control">Q CONTROL nibble: bit 2 data, bit 1 copy permitted, bit 0 pre-emphasis.</param>
/// <param name="StartLba">Start address (LBA: the command is sent with MSF = 0).</param>
public sealed record TocTrack(int Number, int Adr, int Control, long StartLba)
{
    public bool IsAudio => (Control & 0x04) == 0;
}

/// <summary>One entry of the raw TOC (format 0010b): a lead-in Q sub-channel entry.</summary>
public sealed record FullTocEntry(int Session, int Adr, int Control, int Point, byte Min, byte Sec, byte Frame, byte PMin, byte PSec, byte PFrame);

/// <summary>
/// READ TOC/PMA/ATIP answers (MMC-5): a 4-byte header (bytes 0-1 data length after itself, byte
/// 2 first track or session, byte 3 last), then descriptors. Format 0: 8 bytes each (reserved,
/// ADR (7-4) / CONTROL (3-0), track number, reserved, start address(4)); format 1: one such
/// descriptor for the first track of the last complete session; format 2: 11 bytes each
/// (session, ADR/CONTROL, TNO, POINT, MIN, SEC, FRAME, ZERO, PMIN, PSEC, PFRAME).
/// </summary>
public static class TocData
{
    public const int HeaderLength = 4;

    /// <summary>Format 0: the tracks and the lead-out (last, number AAh).</summary>
    public static bool TryParseToc(ReadOnlySpan<byte> data, out IReadOnlyList<TocTrack> tracks, out string? problem)
    {
        tracks = [];
        if (!TryBody(data, 8, out var body, out problem))
        {
            return false;
        }

        var list = new List<TocTrack>();
        for (int i = 0; i < body.Length; i += 8)
        {
            var d = body.Slice(i, 8);
            list.Add(new TocTrack(d[2], d[1] >> 4, d[1] & 0x0F, BinaryPrimitives.ReadInt32BigEndian(d[4..])));
        }

        if (list.Count < 2 || list[^1].Number != 0xAA)
        {
            problem = $"the TOC has {list.Count} descriptors and does not end with the lead-out (AAh)";
            return false;
        }

        tracks = list;
        return true;
    }

    /// <summary>Format 1: (first complete session, last complete session, first track of the last session, its start LBA).</summary>
    public static bool TryParseSessionInfo(ReadOnlySpan<byte> data, out (int FirstSession, int LastSession, int FirstTrackInLastSession, long StartLba) info, out string? problem)
    {
        info = default;
        if (!TryBody(data, 8, out var body, out problem))
        {
            return false;
        }

        if (body.Length != 8)
        {
            problem = $"session information has {body.Length} bytes of descriptors, not 8";
            return false;
        }

        info = (data[2], data[3], body[2], BinaryPrimitives.ReadInt32BigEndian(body[4..]));
        return true;
    }

    /// <summary>Format 2: every entry.</summary>
    public static bool TryParseFullToc(ReadOnlySpan<byte> data, out IReadOnlyList<FullTocEntry> entries, out string? problem)
    {
        entries = [];
        if (!TryBody(data, 11, out var body, out problem))
        {
            return false;
        }

        var list = new List<FullTocEntry>();
        for (int i = 0; i < body.Length; i += 11)
        {
            var d = body.Slice(i, 11);
            list.Add(new FullTocEntry(d[0], d[1] >> 4, d[1] & 0x0F, d[3], d[4], d[5], d[6], d[8], d[9], d[10]));
        }

        entries = list;
        return true;
    }

    /// <summary>Format 5 (CD-TEXT): the 4-byte header (data length, 2 reserved bytes), then 18-byte packs, returned back to back.</summary>
    public static bool TryParseCdText(ReadOnlySpan<byte> data, out byte[] packs, out string? problem)
    {
        packs = [];
        if (!TryBody(data, 18, out var body, out problem))
        {
            return false;
        }

        packs = body.ToArray();
        return true;
    }

    private static bool TryBody(ReadOnlySpan<byte> data, int descriptorLength, out ReadOnlySpan<byte> body, out string? problem)
    {
        body = default;
        if (data.Length < HeaderLength)
        {
            problem = $"{data.Length} bytes, shorter than the 4-byte header";
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data) + 2;
        if (length > data.Length || (length - HeaderLength) % descriptorLength != 0)
        {
            problem = $"data length {length} does not fit {data.Length} bytes of {descriptorLength}-byte descriptors";
            return false;
        }

        body = data[HeaderLength..length];
        problem = null;
        return true;
    }
}
