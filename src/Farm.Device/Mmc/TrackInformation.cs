using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>
/// Track information (MMC-6, "Data Type 00b - Track Information"): bytes 0-1 length; byte 2/32 track number (LSB/MSB);
/// byte 3/33 session number; byte 5 bit 5 damage, bits 3-0 track mode; byte 6 bit 7 RT, bit 6
/// blank, bit 5 packet, bits 3-0 data mode; byte 7 bit 1 LRA_V, bit 0 NWA_V; bytes 8-11 track
/// start; 12-15 next writable address; 16-19 free blocks; 24-27 track size; 28-31 last recorded
/// address.
/// </summary>
public sealed record TrackInformation(
    int TrackNumber,
    int SessionNumber,
    bool Damaged,
    bool Blank,
    bool NextWritableAddressValid,
    uint TrackStartAddress,
    uint NextWritableAddress,
    uint FreeBlocks,
    uint TrackSize,
    bool LastRecordedAddressValid,
    uint LastRecordedAddress)
{
    /// <summary>Through the last recorded address; older drives answer 28 bytes, which we also accept.</summary>
    public const ushort StandardLength = 36;

    private const int OldestLength = 28;

    public static bool TryParse(ReadOnlySpan<byte> data, out TrackInformation info, out string? problem)
    {
        info = null!;
        if (data.Length < OldestLength)
        {
            problem = $"track information is {data.Length} bytes, expected at least {OldestLength}";
            return false;
        }

        var hasMsb = data.Length >= 34;
        var lraValid = (data[7] & 0x02) != 0 && data.Length >= 32;
        info = new TrackInformation(
            data[2] | (hasMsb ? data[32] << 8 : 0),
            data[3] | (hasMsb ? data[33] << 8 : 0),
            (data[5] & 0x20) != 0,
            (data[6] & 0x40) != 0,
            (data[7] & 0x01) != 0,
            BinaryPrimitives.ReadUInt32BigEndian(data[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[24..]),
            lraValid,
            lraValid ? BinaryPrimitives.ReadUInt32BigEndian(data[28..]) : 0);
        problem = null;
        return true;
    }
}
