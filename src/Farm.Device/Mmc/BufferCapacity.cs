using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>
/// READ BUFFER CAPACITY data in bytes (MMC-6, "READ BUFFER CAPACITY Data"): bytes 0-1 data length, 4-7 length of
/// the buffer, 8-11 blank (free) length of the buffer.
/// </summary>
public sealed record BufferCapacity(uint BufferLength, uint BlankLength)
{
    public const ushort Length = 12;

    public double FillRatio => BufferLength == 0 ? 0 : 1.0 - ((double)Math.Min(BlankLength, BufferLength) / BufferLength);

    public static bool TryParse(ReadOnlySpan<byte> data, out BufferCapacity capacity, out string? problem)
    {
        capacity = new BufferCapacity(0, 0);
        if (data.Length < Length)
        {
            problem = $"buffer capacity is {data.Length} bytes, expected {Length}";
            return false;
        }

        capacity = new BufferCapacity(
            BinaryPrimitives.ReadUInt32BigEndian(data[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[8..]));
        problem = null;
        return true;
    }
}
