using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>GET PERFORMANCE type (MMC-5 6.8, CDB byte 10): which descriptors the drive returns.</summary>
public enum PerformanceType : byte
{
    /// <summary>00h: nominal performance over an LBA range (read or write).</summary>
    Performance = 0x00,

    /// <summary>01h: unusable area data.</summary>
    UnusableArea = 0x01,

    /// <summary>02h: defect status data.</summary>
    DefectStatus = 0x02,

    /// <summary>03h: write speed descriptors for the loaded medium.</summary>
    WriteSpeed = 0x03,
}

public static partial class MmcCommands
{
    /// <summary>SET CD SPEED's "as fast as the drive can" (MMC-5 SET CD SPEED: FFFFh selects the maximum).</summary>
    public const ushort MaximumSpeed = 0xFFFF;

    /// <summary>
    /// GET PERFORMANCE (MMC-5 6.8) type 00h: <c>AC DATATYPE LBA(4) 00 00 MAX(2) 00 00</c>; byte 1 bits
    /// 4-3 tolerance (10b = 10%), bit 2 Write, bits 1-0 Except (00b nominal); bytes 2-5 the starting
    /// LBA; bytes 8-9 the maximum number of 16-byte descriptors; byte 10 the type.
    /// </summary>
    public static Cdb GetPerformance(bool write, uint startingLba, ushort maximumDescriptors)
    {
        var cdb = new byte[12];
        cdb[0] = 0xAC;
        cdb[1] = (byte)(0x10 | (write ? 0x04 : 0x00));
        CdbFields.PutUInt32(cdb, 2, startingLba);
        CdbFields.PutUInt16(cdb, 8, maximumDescriptors);
        cdb[10] = (byte)PerformanceType.Performance;
        return new($"GET PERFORMANCE ({(write ? "write" : "read")} from LBA {startingLba})", cdb);
    }

    /// <summary>
    /// GET PERFORMANCE (MMC-5 6.8) type 03h, write speed descriptors:
    /// <c>AC 00 00 00 00 00 00 00 MAX(2) 03 00</c>; data type and starting LBA are reserved for this
    /// type; bytes 8-9 the maximum number of 16-byte descriptors.
    /// </summary>
    public static Cdb GetWriteSpeeds(ushort maximumDescriptors)
    {
        var cdb = new byte[12];
        cdb[0] = 0xAC;
        CdbFields.PutUInt16(cdb, 8, maximumDescriptors);
        cdb[10] = (byte)PerformanceType.WriteSpeed;
        return new("GET PERFORMANCE (write speeds)", cdb);
    }

    /// <summary>
    /// SET CD SPEED (MMC-5 SET CD SPEED command): <c>BB RC READ(2) WRITE(2) 00 00 00 00 00 00</c>; byte 1 bits 1-0
    /// rotation control, bytes 2-3 the read speed and 4-5 the write speed in kB/s (1000 bytes;
    /// 1x CD = 176, 1x DVD = 1385, 1x BD = 4495), <see cref="MaximumSpeed"/> for the fastest.
    /// </summary>
    public static Cdb SetCdSpeed(ushort readKBps, ushort writeKBps, RotationControl rotation = RotationControl.ConstantLinearVelocity)
    {
        var cdb = new byte[12];
        cdb[0] = 0xBB;
        cdb[1] = (byte)((byte)rotation & 0x03);
        CdbFields.PutUInt16(cdb, 2, readKBps);
        CdbFields.PutUInt16(cdb, 4, writeKBps);
        return new($"SET CD SPEED (read {readKBps}, write {writeKBps} kB/s)", cdb);
    }

    /// <summary>
    /// SET STREAMING (MMC-5 6.39): <c>B6 00 00 00 00 00 00 00 TYPE LENGTH(2) 00</c>; byte 8 the type
    /// (00h performance descriptor), bytes 9-10 the parameter list length (28 for one
    /// <see cref="StreamingPerformance"/>).
    /// </summary>
    public static Cdb SetStreaming(ushort parameterListLength = StreamingPerformance.Length)
    {
        var cdb = new byte[12];
        cdb[0] = 0xB6;
        CdbFields.PutUInt16(cdb, 9, parameterListLength);
        return new("SET STREAMING", cdb);
    }
}
