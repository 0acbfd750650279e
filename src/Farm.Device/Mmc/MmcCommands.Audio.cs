using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>READ TOC/PMA/ATIP response formats (MMC-5 READ TOC/PMA/ATIP, byte 2 bits 3-0) the farm reads.</summary>
public enum TocFormat : byte
{
    /// <summary>0000b: formatted TOC, one descriptor per track and the lead-out (AAh).</summary>
    Toc = 0x0,

    /// <summary>0001b: multi-session information: the first track of the last complete session.</summary>
    SessionInfo = 0x1,

    /// <summary>0010b: raw (full) TOC: the Q sub-channel entries of the lead-in, points A0h-A2h and every track.</summary>
    FullToc = 0x2,

    /// <summary>0101b: CD-TEXT: the packs the drive read from the lead-in's R-W sub-channel (MMC-5 READ TOC/PMA/ATIP, format 0101b).</summary>
    CdText = 0x5,
}

public static partial class MmcCommands
{
    /// <summary>Bytes of one CD-DA block (2352: 1/75 s of 44.1 kHz 16-bit stereo), as READ CD and WRITE carry it.</summary>
    public const int CdDaBlockBytes = 2352;

    /// <summary>
    /// SEND CUE SHEET (MMC-5): <c>5D 00 00 00 00 00 SIZE(3) 00</c>; bytes 6-8 the cue sheet size in
    /// bytes (a multiple of the 8-byte entry). Session-at-once on CD: the drive learns the whole
    /// session's layout before the first WRITE. libburn's MMC_SEND_CUE_SHEET template.
    /// </summary>
    public static Cdb SendCueSheet(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, 0xFF_FFFF);
        var cdb = new byte[10];
        cdb[0] = 0x5D;
        cdb[6] = (byte)(size >> 16);
        cdb[7] = (byte)(size >> 8);
        cdb[8] = (byte)size;
        return new($"SEND CUE SHEET ({size / 8} entries)", cdb);
    }

    /// <summary>
    /// READ TOC/PMA/ATIP (MMC-5): <c>43 MSF FORMAT 00 00 00 TRACK ALLOC(2) 00</c>; byte 1 bit 1 MSF
    /// (addresses as 00 M S F instead of LBAs; formats 0 and 1 only), byte 2 bits 3-0 the format,
    /// byte 6 the starting track (format 0) or session (format 2), bytes 7-8 the allocation length.
    /// </summary>
    public static Cdb ReadTocPmaAtip(TocFormat format, bool msf, byte trackOrSession, ushort allocationLength)
    {
        var cdb = new byte[10];
        cdb[0] = 0x43;
        cdb[1] = (byte)(msf ? 0x02 : 0x00);
        cdb[2] = (byte)((byte)format & 0x0F);
        cdb[6] = trackOrSession;
        CdbFields.PutUInt16(cdb, 7, allocationLength);
        return new($"READ TOC/PMA/ATIP (format {(byte)format})", cdb);
    }

    /// <summary>
    /// READ CD of CD-DA blocks (MMC-5): <c>BE 04 LBA(4) LENGTH(3) 10 00 00</c>; byte 1 bits 4-2 the
    /// expected sector type 001b (CD-DA: any other track type is an error), bytes 2-5 the start
    /// LBA, bytes 6-8 the transfer length in blocks, byte 9 bit 4 User Data (2352 bytes of a CD-DA
    /// block), byte 10 no sub-channel.
    /// </summary>
    public static Cdb ReadCdAudio(int lba, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blocks, 0xFF_FFFF);
        var cdb = new byte[12];
        cdb[0] = 0xBE;
        cdb[1] = 0x01 << 2;
        CdbFields.PutLba(cdb, 2, lba);
        cdb[6] = (byte)(blocks >> 16);
        cdb[7] = (byte)(blocks >> 8);
        cdb[8] = (byte)blocks;
        cdb[9] = 0x10;
        return new($"READ CD (CD-DA at LBA {lba}, {blocks} blocks)", cdb);
    }
}
