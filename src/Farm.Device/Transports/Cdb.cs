using System.Buffers.Binary;

namespace Farm.Device.Transports;

/// <summary>
/// A command descriptor block with the command's name, so every error can say which command
/// failed ("WRITE(10) at LBA 1024") without decoding opcodes again.
/// </summary>
public sealed record Cdb(string Name, byte[] Bytes)
{
    public byte OperationCode => Bytes[0];

    public override string ToString() => $"{Name} [{Convert.ToHexString(Bytes)}]";
}

/// <summary>Big-endian field writers for CDB builders (SCSI is big-endian throughout).</summary>
internal static class CdbFields
{
    public static void PutUInt16(byte[] cdb, int offset, ushort value) =>
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(offset, 2), value);

    public static void PutUInt32(byte[] cdb, int offset, uint value) =>
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(offset, 4), value);

    /// <summary>LBAs are sent as 32-bit two's complement: IMAPI2 allows negative LBAs (CD lead-in, pre-gap).</summary>
    public static void PutLba(byte[] cdb, int offset, int lba) =>
        BinaryPrimitives.WriteInt32BigEndian(cdb.AsSpan(offset, 4), lba);
}
