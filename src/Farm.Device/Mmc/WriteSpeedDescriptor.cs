using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>
/// One GET PERFORMANCE type 03h write speed descriptor (MMC-5 6.8, 16 bytes): byte 0 bits 4-3 WRC,
/// bit 2 RDD, bit 1 Exact, bit 0 MRW; bytes 4-7 end LBA; 8-11 read speed; 12-15 write speed (kB/s).
/// The answer starts with an 8-byte header: bytes 0-3 performance data length (bytes that follow
/// the field), byte 4 bit 1 Write, bit 0 Except.
/// </summary>
public sealed record WriteSpeedDescriptor(
    RotationControl WriteRotationControl,
    bool RestoreDefaults,
    bool Exact,
    bool MountRainier,
    uint EndLba,
    uint ReadSpeedKBps,
    uint WriteSpeedKBps)
{
    public const int HeaderLength = 8;

    public const int Length = 16;

    /// <summary>
    /// Parses the header and every complete descriptor inside both the declared length and the
    /// buffer; a trailing partial descriptor is ignored (the host's allocation cut it).
    /// </summary>
    public static bool TryParseList(ReadOnlySpan<byte> data, out IReadOnlyList<WriteSpeedDescriptor> descriptors, out string? problem)
    {
        descriptors = [];
        if (data.Length < HeaderLength)
        {
            problem = $"performance data is {data.Length} bytes, shorter than its {HeaderLength}-byte header";
            return false;
        }

        var declaredEnd = BinaryPrimitives.ReadUInt32BigEndian(data) + 4L;
        if (declaredEnd < HeaderLength)
        {
            problem = $"performance data length {declaredEnd - 4} does not cover the rest of the {HeaderLength}-byte header";
            return false;
        }

        var end = (int)Math.Min(declaredEnd, data.Length);
        var list = new List<WriteSpeedDescriptor>((end - HeaderLength) / Length);
        for (var offset = HeaderLength; offset + Length <= end; offset += Length)
        {
            var d = data.Slice(offset, Length);
            list.Add(new WriteSpeedDescriptor(
                (RotationControl)((d[0] >> 3) & 0x03),
                (d[0] & 0x04) != 0,
                (d[0] & 0x02) != 0,
                (d[0] & 0x01) != 0,
                BinaryPrimitives.ReadUInt32BigEndian(d[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(d[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(d[12..])));
        }

        descriptors = list;
        problem = null;
        return true;
    }
}
