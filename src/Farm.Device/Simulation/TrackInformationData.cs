using System.Buffers.Binary;
using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// The Track Information Block (MMC-6 READ TRACK INFORMATION, table "Track Information
/// Block"), 48 bytes:
/// <code>
/// bytes 0-1   DATA LENGTH = 46
/// byte 2      Logical Track Number (LSB)          byte 32  Logical Track Number (MSB)
/// byte 3      Session Number (LSB)                byte 33  Session Number (MSB)
/// byte 5      Damage (5), Copy (4), Track Mode (3-0) = 4: data track, recorded uninterrupted
/// byte 6      RT (7), Blank (6), Packet/Inc (5), FP (4), Data Mode (3-0): 1 = Mode 1, Fh = none yet
/// byte 7      LRA_V (1), NWA_V (0)
/// bytes 8-11  Logical Track Start Address
/// bytes 12-15 Next Writable Address (valid when NWA_V)
/// bytes 16-19 Free Blocks
/// bytes 20-23 Fixed Packet Size / Blocking Factor: 16 on DVD (ECC block), 32 on BD (cluster), 0 on CD
/// bytes 24-27 Logical Track Size
/// bytes 28-31 Last Recorded Address (valid when LRA_V)
/// bytes 36-47 Read Compatibility LBA, Next/Last Layer Jump Address: 0
/// </code>
/// The invisible track reports NWA_V = 1, Blank = 1 until written, free blocks up to the capacity
/// and a track size reaching the capacity. Overwritable media report one fixed-packet track
/// (Packet/Inc = FP = 1) spanning the formatted capacity, NWA_V = 0 (write anywhere) and every
/// block as free (each may be rewritten).
/// </summary>
internal static class TrackInformationData
{
    public const int Length = 48;

    public static byte[] Build(SimulatedDisc disc, SimulatedTrack track)
    {
        var data = new byte[Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, Length - 2);
        data[2] = (byte)track.Number;
        data[32] = (byte)(track.Number >> 8);
        data[3] = (byte)track.Session;
        data[33] = (byte)(track.Session >> 8);
        data[5] = 0x04;
        var span = data.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], BlockingFactor(disc.Profile.Family));
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], (uint)track.StartAddress);
        if (disc.IsOverwritable)
        {
            long? lastRecorded = disc.LastRecordedAddress;
            data[6] = (byte)(disc.Formatting == FormatState.Unformatted ? 0x40 | 0x0F : 0x20 | 0x10 | 0x01);
            data[7] = (byte)(lastRecorded is null ? 0x00 : 0x02);
            BinaryPrimitives.WriteUInt32BigEndian(span[16..], (uint)disc.CapacityBlocks);
            BinaryPrimitives.WriteUInt32BigEndian(span[24..], (uint)disc.CapacityBlocks);
            BinaryPrimitives.WriteUInt32BigEndian(span[28..], (uint)(lastRecorded ?? 0));
            return data;
        }

        bool blank = track.RecordedBlocks == 0;
        bool writable = ReferenceEquals(disc.WritableTrack, track);
        data[6] = (byte)((blank ? 0x40 : 0x00) | (blank ? 0x0F : 0x01));
        data[7] = (byte)((blank ? 0x00 : 0x02) | (writable ? 0x01 : 0x00));
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], writable ? (uint)track.NextWritableAddress : 0);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], (uint)track.FreeBlocks);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], (uint)track.Size);
        BinaryPrimitives.WriteUInt32BigEndian(span[28..], (uint)(track.LastRecordedAddress ?? 0));
        return data;
    }

    private static uint BlockingFactor(MediaFamily family) => family switch
    {
        MediaFamily.Dvd => 16,
        MediaFamily.Bd => 32,
        _ => 0,
    };
}
