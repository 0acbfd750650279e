using Farm.Device.Mmc;

namespace Farm.Device.Audio;

/// <summary>
/// CD addressing (MMC-6 annex "CD addressing", ECMA-130 14.2): 75 frames (blocks) a second, MSF
/// = LBA + 150 because LBA 0 is the end of the 2-second pre-gap of track 1. One CD-DA block is
/// 2352 bytes: 588 stereo frames of two 16-bit little-endian samples (Red Book, IEC 60908).
/// </summary>
public static class CdAddress
{
    public const int FramesPerSecond = 75;

    /// <summary>The 2-second pre-gap before track 1 (150 blocks), which MSF 00:02:00 ends.</summary>
    public const int PregapBlocks = 150;

    /// <summary>Bytes of one CD-DA block: 1/75 s of 44.1 kHz 16-bit stereo.</summary>
    public const int BlockBytes = MmcCommands.CdDaBlockBytes;

    /// <summary>Red Book: a track lasts at least 4 seconds.</summary>
    public const int MinimumTrackBlocks = 4 * FramesPerSecond;

    /// <summary>A 74-minute disc (74 x 60 x 75 blocks).</summary>
    public const long Minutes74 = 74L * 60 * FramesPerSecond;

    /// <summary>An 80-minute disc (80 x 60 x 75 blocks).</summary>
    public const long Minutes80 = 80L * 60 * FramesPerSecond;

    /// <summary>The MSF of <paramref name="lba"/> (LBA -150 is 00:00:00).</summary>
    public static (byte Minute, byte Second, byte Frame) ToMsf(long lba)
    {
        long frames = lba + PregapBlocks;
        ArgumentOutOfRangeException.ThrowIfNegative(frames, nameof(lba));
        return ((byte)(frames / (60 * FramesPerSecond)), (byte)(frames / FramesPerSecond % 60), (byte)(frames % FramesPerSecond));
    }

    /// <summary>The LBA of an MSF address.</summary>
    public static long FromMsf(int minute, int second, int frame) =>
        (((minute * 60L) + second) * FramesPerSecond) + frame - PregapBlocks;

    /// <summary>
    /// The LBA of a lead-in MSF as READ DISC INFORMATION and the ATIP give it (bytes 0, M, S, F):
    /// minutes 90-99 are the lead-in before 00:00:00, LBA = MSF frames - 450150 (MMC-5 annex "CD
    /// addressing"); e.g. 97:26:66 is LBA -11634. Other minutes are the ordinary MSF.
    /// </summary>
    public static long FromLeadInMsf(uint msf)
    {
        int minute = (int)((msf >> 16) & 0xFF);
        long lba = FromMsf(minute, (int)((msf >> 8) & 0xFF), (int)(msf & 0xFF));
        return minute >= 90 ? lba - (100L * 60 * FramesPerSecond) : lba;
    }

    /// <summary>A length in blocks as mm:ss:ff, the way cue sheets and cd-info print durations.</summary>
    public static string Duration(long blocks) =>
        $"{blocks / (60 * FramesPerSecond):D2}:{blocks / FramesPerSecond % 60:D2}:{blocks % FramesPerSecond:D2}";
}
