using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>
/// SET STREAMING performance descriptor (MMC-5 6.39, 28 bytes): byte 0 bits 4-3 WRC (write
/// rotation control), bit 2 RDD (restore drive defaults), bit 1 Exact, bit 0 RA (random access);
/// bytes 4-7 start LBA; 8-11 end LBA; 12-15 read size (kB); 16-19 read time (ms); 20-23 write size
/// (kB); 24-27 write time (ms). A speed is size / time: 1000 ms as the time base makes the size
/// fields kB/s, as libburn and growisofs send them.
/// </summary>
public sealed record StreamingPerformance(
    uint StartLba,
    uint EndLba,
    uint ReadSizeKB,
    uint ReadTimeMs,
    uint WriteSizeKB,
    uint WriteTimeMs,
    RotationControl WriteRotationControl = RotationControl.ConstantLinearVelocity,
    bool RestoreDefaults = false,
    bool Exact = false,
    bool RandomAccess = false)
{
    public const ushort Length = 28;

    /// <summary>The time base that makes the size fields speeds in kB/s.</summary>
    public const uint OneSecondMs = 1000;

    /// <summary>Read and write speeds in kB/s over LBA 0..<paramref name="endLba"/>.</summary>
    public static StreamingPerformance ForSpeeds(uint endLba, uint readKBps, uint writeKBps) =>
        new(0, endLba, readKBps, OneSecondMs, writeKBps, OneSecondMs);

    /// <summary>The 28-byte parameter list of SET STREAMING type 00h.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        bytes[0] = (byte)((((byte)WriteRotationControl & 0x03) << 3) | (RestoreDefaults ? 0x04 : 0) | (Exact ? 0x02 : 0) | (RandomAccess ? 0x01 : 0));
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], StartLba);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], EndLba);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], ReadSizeKB);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], ReadTimeMs);
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], WriteSizeKB);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], WriteTimeMs);
        return bytes;
    }
}
