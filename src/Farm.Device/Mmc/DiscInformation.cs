using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>Disc status (READ DISC INFORMATION byte 2 bits 1-0).</summary>
public enum DiscStatus : byte
{
    Empty = 0b00,
    Incomplete = 0b01,
    Complete = 0b10,
    Other = 0b11,
}

/// <summary>State of the last session (byte 2 bits 3-2).</summary>
public enum SessionState : byte
{
    Empty = 0b00,
    Incomplete = 0b01,
    Reserved = 0b10,
    Complete = 0b11,
}

/// <summary>
/// Standard disc information (MMC-6, "Disc Information Block"): bytes 0-1 length; byte 2 bit 4 erasable, bits 3-2
/// state of last session, bits 1-0 disc status; byte 3 first track number; bytes 4/9 number of
/// sessions (LSB/MSB); bytes 5/10 first track in last session; bytes 6/11 last track in last
/// session; byte 8 disc type; bytes 16-19 last session lead-in start; 20-23 last possible lead-out.
/// </summary>
public sealed record DiscInformation(
    DiscStatus Status,
    SessionState LastSessionState,
    bool Erasable,
    int FirstTrackNumber,
    int NumberOfSessions,
    int FirstTrackInLastSession,
    int LastTrackInLastSession,
    uint LastSessionLeadInStart,
    uint LastPossibleLeadOutStart)
{
    public const ushort StandardLength = 34;

    public static bool TryParse(ReadOnlySpan<byte> data, out DiscInformation info, out string? problem)
    {
        info = null!;
        if (data.Length < StandardLength)
        {
            problem = $"disc information is {data.Length} bytes, expected at least {StandardLength}";
            return false;
        }

        var declared = BinaryPrimitives.ReadUInt16BigEndian(data) + 2;
        if (declared < StandardLength)
        {
            problem = $"disc information declares {declared} bytes, fewer than the {StandardLength} of the standard block";
            return false;
        }

        info = new DiscInformation(
            (DiscStatus)(data[2] & 0x03),
            (SessionState)((data[2] >> 2) & 0x03),
            (data[2] & 0x10) != 0,
            data[3],
            data[4] | (data[9] << 8),
            data[5] | (data[10] << 8),
            data[6] | (data[11] << 8),
            BinaryPrimitives.ReadUInt32BigEndian(data[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[20..]));
        problem = null;
        return true;
    }
}
