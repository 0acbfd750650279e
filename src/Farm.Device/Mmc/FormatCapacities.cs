using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>Descriptor type of the current/maximum capacity descriptor (MMC-5 6.24.3.2, byte 4 bits 1-0).</summary>
public enum CapacityDescriptorType : byte
{
    Reserved = 0b00,

    /// <summary>01b: unformatted or blank medium; the capacity is the maximum formattable.</summary>
    Unformatted = 0b01,

    /// <summary>10b: formatted medium; the capacity is the current formatted one.</summary>
    Formatted = 0b10,

    /// <summary>11b: no medium, or unknown capacity.</summary>
    NoMedia = 0b11,
}

/// <summary>One formattable capacity descriptor (MMC-5 6.24.3.3): blocks, type (byte 4 bits 7-2), type dependent parameter (bytes 5-7).</summary>
public sealed record FormattableCapacity(FormatType Type, uint NumberOfBlocks, uint TypeDependentParameter);

/// <summary>
/// READ FORMAT CAPACITIES data (MMC-5 6.24.3): capacity list header (bytes 0-2 reserved, byte 3
/// capacity list length, a multiple of 8); the current/maximum capacity descriptor (bytes 0-3
/// number of blocks, byte 4 bits 1-0 descriptor type, bytes 5-7 block length); then formattable
/// capacity descriptors of 8 bytes each.
/// </summary>
public sealed record FormatCapacities(
    uint CurrentBlocks,
    CapacityDescriptorType DescriptorType,
    uint BlockLength,
    IReadOnlyList<FormattableCapacity> Formats)
{
    public const int HeaderLength = 4;

    public const int DescriptorLength = 8;

    /// <summary>Enough for any answer: the 4-byte header plus a one-byte capacity list length (at most 255).</summary>
    public const ushort MaximumLength = 260;

    /// <summary>The first offered format of <paramref name="type"/>, or null.</summary>
    public FormattableCapacity? Offered(FormatType type) => Formats.FirstOrDefault(f => f.Type == type);

    public static bool TryParse(ReadOnlySpan<byte> data, out FormatCapacities capacities, out string? problem)
    {
        capacities = null!;
        if (data.Length < HeaderLength + DescriptorLength)
        {
            problem = $"format capacities are {data.Length} bytes; the header and the current/maximum descriptor need {HeaderLength + DescriptorLength}";
            return false;
        }

        var listLength = data[3];
        if (listLength < DescriptorLength || listLength % DescriptorLength != 0)
        {
            problem = $"capacity list length {listLength} is not a positive multiple of {DescriptorLength}";
            return false;
        }

        var end = Math.Min(data.Length, HeaderLength + listLength);
        var formats = new List<FormattableCapacity>();
        for (var offset = HeaderLength + DescriptorLength; offset + DescriptorLength <= end; offset += DescriptorLength)
        {
            var d = data.Slice(offset, DescriptorLength);
            formats.Add(new FormattableCapacity((FormatType)(d[4] >> 2), BinaryPrimitives.ReadUInt32BigEndian(d), ReadUInt24(d[5..])));
        }

        var current = data.Slice(HeaderLength, DescriptorLength);
        capacities = new FormatCapacities(
            BinaryPrimitives.ReadUInt32BigEndian(current),
            (CapacityDescriptorType)(current[4] & 0x03),
            ReadUInt24(current[5..]),
            formats);
        problem = null;
        return true;
    }

    private static uint ReadUInt24(ReadOnlySpan<byte> bytes) => ((uint)bytes[0] << 16) | ((uint)bytes[1] << 8) | bytes[2];
}
