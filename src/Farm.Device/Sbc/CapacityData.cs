using System.Buffers.Binary;

namespace Farm.Device.Sbc;

/// <summary>READ CAPACITY data (MMC-6, "READ CAPACITY Data"): bytes 0-3 last logical block address, 4-7 block length.</summary>
public sealed record CapacityData(uint LastLogicalBlockAddress, uint BlockLength)
{
    public const int Length = 8;

    public static bool TryParse(ReadOnlySpan<byte> data, out CapacityData capacity, out string? problem)
    {
        capacity = new CapacityData(0, 0);
        if (data.Length < Length)
        {
            problem = $"READ CAPACITY data is {data.Length} bytes, expected {Length}";
            return false;
        }

        capacity = new CapacityData(
            BinaryPrimitives.ReadUInt32BigEndian(data),
            BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
        problem = null;
        return true;
    }
}
