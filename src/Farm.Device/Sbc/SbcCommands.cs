using Farm.Device.Transports;

namespace Farm.Device.Sbc;

/// <summary>
/// CDB builders for the block commands MMC devices share with disks (SBC-3, as profiled by MMC-6
/// section 6). Logical blocks are 2048 bytes on every data medium the farm writes.
/// </summary>
public static class SbcCommands
{
    /// <summary>
    /// READ(10) (MMC-6): <c>28 00 LBA(4) 00 LENGTH(2) 00</c>; bytes 2-5 the LBA, bytes 7-8 the
    /// number of blocks.
    /// </summary>
    public static Cdb Read10(int lba, ushort blocks)
    {
        var cdb = new byte[10];
        cdb[0] = 0x28;
        CdbFields.PutLba(cdb, 2, lba);
        CdbFields.PutUInt16(cdb, 7, blocks);
        return new($"READ(10) LBA {lba} x{blocks}", cdb);
    }

    /// <summary>READ(12) (MMC-6): <c>A8 00 LBA(4) LENGTH(4) 00 00</c>.</summary>
    public static Cdb Read12(int lba, uint blocks)
    {
        var cdb = new byte[12];
        cdb[0] = 0xA8;
        CdbFields.PutLba(cdb, 2, lba);
        CdbFields.PutUInt32(cdb, 6, blocks);
        return new($"READ(12) LBA {lba} x{blocks}", cdb);
    }

    /// <summary>
    /// WRITE(10) (MMC-6): <c>2A 00 LBA(4) 00 LENGTH(2) 00</c>; byte 1 FUA/DPO stay zero:
    /// the drive's buffer is what keeps it streaming.
    /// </summary>
    public static Cdb Write10(int lba, ushort blocks)
    {
        var cdb = new byte[10];
        cdb[0] = 0x2A;
        CdbFields.PutLba(cdb, 2, lba);
        CdbFields.PutUInt16(cdb, 7, blocks);
        return new($"WRITE(10) LBA {lba} x{blocks}", cdb);
    }

    /// <summary>
    /// WRITE(12) (MMC-6): <c>AA 00 LBA(4) LENGTH(4) STREAMING 00</c>; byte 10 bit 7 is the
    /// Streaming bit: the drive skips defect management and keeps real-time speed (DVD-RAM, BD-RE).
    /// </summary>
    public static Cdb Write12(int lba, uint blocks, bool streaming)
    {
        var cdb = new byte[12];
        cdb[0] = 0xAA;
        CdbFields.PutLba(cdb, 2, lba);
        CdbFields.PutUInt32(cdb, 6, blocks);
        cdb[10] = (byte)(streaming ? 0x80 : 0x00);
        return new($"WRITE(12){(streaming ? " streaming" : "")} LBA {lba} x{blocks}", cdb);
    }

    /// <summary>
    /// SYNCHRONIZE CACHE(10) (MMC-6): <c>35 IMMED 00 00 00 00 00 00 00 00</c>; byte 1 bit 1 is
    /// Immed: return at once, then poll TEST UNIT READY (the flush can take minutes).
    /// </summary>
    public static Cdb SynchronizeCache(bool immediate)
    {
        var cdb = new byte[10];
        cdb[0] = 0x35;
        cdb[1] = (byte)(immediate ? 0x02 : 0x00);
        return new("SYNCHRONIZE CACHE", cdb);
    }

    /// <summary>
    /// START STOP UNIT (MMC-6): <c>1B IMMED 00 00 LOEJ|START 00</c>; byte 1 bit 0 Immed; byte 4
    /// bit 1 LoEj, bit 0 Start: LoEj=1 Start=0 ejects, LoEj=1 Start=1 loads, LoEj=0 Start=1 spins up.
    /// </summary>
    public static Cdb StartStopUnit(bool immediate, bool loadEject, bool start)
    {
        var name = (loadEject, start) switch
        {
            (true, false) => "START STOP UNIT (eject)",
            (true, true) => "START STOP UNIT (load)",
            (false, true) => "START STOP UNIT (start)",
            _ => "START STOP UNIT (stop)",
        };
        return new(name, [0x1B, (byte)(immediate ? 1 : 0), 0, 0, (byte)((loadEject ? 2 : 0) | (start ? 1 : 0)), 0]);
    }

    /// <summary>READ CAPACITY (MMC-6): <c>25 00 00 00 00 00 00 00 00 00</c>; answers 8 bytes.</summary>
    public static Cdb ReadCapacity()
    {
        var cdb = new byte[10];
        cdb[0] = 0x25;
        return new("READ CAPACITY", cdb);
    }
}
