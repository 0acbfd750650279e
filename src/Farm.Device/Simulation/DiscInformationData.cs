using System.Buffers.Binary;
using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// The standard Disc Information Block, data type 000b (MMC-6 READ DISC INFORMATION, table
/// "Disc Information Block"), 34 bytes:
/// <code>
/// bytes 0-1   DISC INFORMATION LENGTH = 32 (bytes after this field)
/// byte 2      data type (7-5) = 000b, Erasable (4), State of Last Session (3-2), Disc Status (1-0)
/// byte 3      Number of First Track on Disc
/// byte 4      Number of Sessions (LSB)
/// byte 5      First Track Number in Last Session (LSB)
/// byte 6      Last Track Number in Last Session (LSB)
/// byte 7      DID_V (7), DBC_V (6), URU (5), DAC_V (4), Legacy (2), BG Format Status (1-0)
/// byte 8      Disc Type: 00h (CD-DA/CD-ROM; the only value for DVD and BD)
/// byte 9      Number of Sessions (MSB)
/// byte 10     First Track Number in Last Session (MSB)
/// byte 11     Last Track Number in Last Session (MSB)
/// bytes 12-15 Disc Identification (0: none)
/// bytes 16-19 Last Session Lead-in Start Address
/// bytes 20-23 Last Possible Lead-out Start Address
/// bytes 24-31 Disc Bar Code (0), byte 32 Disc Application Code (0), byte 33 Number of OPC Tables (0)
/// </code>
/// On a complete (finalised) sequential disc the two addresses are FFFFFFFFh. Otherwise the
/// lead-in field holds the start of the open session (on a blank CD the ATIP's lead-in start,
/// 97:26:66 = LBA -11634) and the lead-out field the capacity; on
/// CD both are MSF (byte 16/20 = 0, then M, S, F), on DVD/BD LBAs. Overwritable media report
/// lead-in 0 and their formatted capacity; a DVD+RW its BG Format Status. An unformatted DVD+RW or
/// BD-RE reports an empty disc (disc status 00b, BG Format Status 00b).
/// </summary>
internal static class DiscInformationData
{
    public const int Length = 34;

    public static byte[] Build(SimulatedDisc disc)
    {
        var data = new byte[Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, Length - 2);
        var last = disc.LastSession;
        data[2] = (byte)(((disc.Profile.Rewritable ? 1 : 0) << 4) | ((int)last.Status << 2) | (int)disc.Status);
        data[3] = 1;
        WriteSplit(data, 4, 9, disc.Sessions.Count);
        WriteSplit(data, 5, 10, last.FirstTrack);
        WriteSplit(data, 6, 11, last.LastTrack);
        bool cd = disc.Profile.Family == MediaFamily.Cd;
        data[7] = (byte)((cd ? 0x20 : 0x00) | (disc.Profile.Profile == Profile.DvdPlusRw ? BackgroundFormatStatus(disc.Formatting) : 0x00));
        if (disc.Formatting == FormatState.Unformatted)
        {
            WriteAddress(data, 16, 0, cd);
            WriteAddress(data, 20, disc.CapacityBlocks, cd);
        }
        else if (disc.IsOverwritable)
        {
            WriteAddress(data, 16, 0, cd);
            WriteAddress(data, 20, disc.CapacityBlocks, cd);
        }
        else if (disc.Status == DiscStatus.Complete)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(16), 0xFFFF_FFFF);
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(20), 0xFFFF_FFFF);
        }
        else if (cd && disc.Status == DiscStatus.Empty)
        {
            // A blank CD: the ATIP's start time of the lead-in (MMC-5: "the lead-in start time from ATIP"), minutes 90-99.
            long frames = SimulatedDisc.AtipLeadInStartLba + (100L * 60 * 75) + 150;
            data[17] = (byte)(frames / (60 * 75));
            data[18] = (byte)(frames / 75 % 60);
            data[19] = (byte)(frames % 75);
            WriteAddress(data, 20, disc.CapacityBlocks, cd);
        }
        else
        {
            long sessionStart = disc.Tracks.First(t => t.Number == last.FirstTrack).StartAddress;
            WriteAddress(data, 16, sessionStart, cd);
            WriteAddress(data, 20, disc.CapacityBlocks, cd);
        }

        return data;
    }

    /// <summary>BG Format Status (byte 7 bits 1-0): 00b not formatted, 01b started and stopped, 10b in progress, 11b complete.</summary>
    private static int BackgroundFormatStatus(FormatState state) => state switch
    {
        FormatState.Unformatted => 0b00,
        FormatState.BackgroundFormatStopped => 0b01,
        FormatState.BackgroundFormatInProgress => 0b10,
        _ => 0b11,
    };

    private static void WriteSplit(byte[] data, int lsbOffset, int msbOffset, int value)
    {
        data[lsbOffset] = (byte)value;
        data[msbOffset] = (byte)(value >> 8);
    }

    private static void WriteAddress(byte[] data, int offset, long lba, bool msf)
    {
        if (!msf)
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), (uint)lba);
            return;
        }

        // MSF = LBA + 150 (the 2-second pre-gap), 75 frames a second (MMC-6 annex on CD addressing).
        long frames = lba + 150;
        data[offset] = 0;
        data[offset + 1] = (byte)(frames / (60 * 75));
        data[offset + 2] = (byte)(frames / 75 % 60);
        data[offset + 3] = (byte)(frames % 75);
    }
}
