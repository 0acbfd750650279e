using System.Buffers.Binary;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// The write speed a simulated drive records at: the host's request (SET CD SPEED, SET STREAMING)
/// rounded to what the loaded medium offers, and GET PERFORMANCE reporting it. The buffer drains,
/// and formats and blanks take their time, at <see cref="CurrentWriteSpeed"/>.
/// </summary>
internal sealed class WriteSpeedSelection
{
    private const int PerformanceHeaderLength = 8;
    private const int PerformanceDescriptorLength = 16;

    private readonly IDriveCore _drive;
    private readonly SimulatedDriveOptions _options;

    /// <summary>The write speed the host asked for (kB/s), or null for the drive's default.</summary>
    private uint? _requestedWriteKBps;
    private RotationControl _requestedRotation = RotationControl.ConstantLinearVelocity;

    public WriteSpeedSelection(IDriveCore drive, SimulatedDriveOptions options)
    {
        _drive = drive;
        _options = options;
    }

    /// <summary>Back to the drive's default speed (power on, call under the lock).</summary>
    public void PowerOn()
    {
        _requestedWriteKBps = null;
        _requestedRotation = RotationControl.ConstantLinearVelocity;
    }

    /// <summary>The write speed in effect for <paramref name="medium"/> (call under the lock).</summary>
    public WriteSpeed CurrentWriteSpeed(ProfileInfo medium)
    {
        var offered = WriteSpeeds.For(medium, _options.WriteSpeedX);
        if (_requestedWriteKBps is { } kilobytes)
        {
            return WriteSpeeds.Nearest(medium, offered, kilobytes, _requestedRotation);
        }

        return new WriteSpeed(_options.WriteSpeedX ?? medium.MaxSpeedX, RotationControl.ConstantLinearVelocity);
    }

    /// <summary>
    /// GET PERFORMANCE (MMC-6; CDB: byte 1 DATA TYPE (type 00h: Tolerance 4-3, Write 2, Except
    /// 1-0); bytes 2-5 STARTING LBA; bytes 6-7 reserved; bytes 8-9 MAXIMUM NUMBER OF DESCRIPTORS;
    /// byte 10 TYPE). Type 00h, Tolerance 10b, Except 00b: one nominal performance descriptor
    /// (bytes 0-3 start LBA, 4-7 start performance, 8-11 end LBA, 12-15 end performance, kB/s)
    /// from the starting LBA to the end of the medium at the selected speed (CAV: growing);
    /// Except 01b/10b: no exceptions, an empty list. Type 03h (data type and starting LBA
    /// reserved): the write speed descriptors (byte 0: WRC 4-3, RDD 2, Exact 1, MRW 0; bytes 4-7
    /// End LBA; 8-11 read speed; 12-15 write speed). Other types are not implemented (5/24/00).
    /// Header: bytes 0-3 PERFORMANCE DATA LENGTH, byte 4 Write (1) and Except (0) for type 00h.
    /// </summary>
    public ScsiResult GetPerformance(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        byte type = cdb[10];
        uint startingLba = Cdb.UInt32(cdb, 2);
        int maximum = Cdb.UInt16(cdb, 8);
        bool typeZeroFieldsOk = (cdb[1] & 0xE0) == 0 && ((cdb[1] >> 3) & 0x03) == 0b10;
        bool typeThreeFieldsOk = cdb[1] == 0 && startingLba == 0;
        if (Cdb.AnySet(cdb, 6, 7) || (type == 0x00 && !typeZeroFieldsOk) || (type == 0x03 && !typeThreeFieldsOk) || type is not (0x00 or 0x03))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_drive.Sync)
        {
            if (_drive.NotReady() is { } notReady)
            {
                return notReady;
            }

            var medium = _drive.Disc!;
            if (type == 0x03)
            {
                var offered = WriteSpeeds.For(medium.Profile, _options.WriteSpeedX);
                var list = new List<byte[]>();
                foreach (var speed in offered.Take(maximum))
                {
                    var descriptor = new byte[PerformanceDescriptorLength];
                    descriptor[0] = (byte)((byte)speed.Rotation << 3);
                    BinaryPrimitives.WriteUInt32BigEndian(descriptor.AsSpan(4), (uint)(medium.CapacityBlocks - 1));
                    uint kilobytes = WriteSpeeds.KBps(medium.Profile.Family, speed.SpeedX);
                    BinaryPrimitives.WriteUInt32BigEndian(descriptor.AsSpan(8), kilobytes);
                    BinaryPrimitives.WriteUInt32BigEndian(descriptor.AsSpan(12), kilobytes);
                    list.Add(descriptor);
                }

                return Responses.Respond(PerformanceList(0x00, list), int.MaxValue, data);
            }

            bool write = (cdb[1] & 0x04) != 0;
            int except = cdb[1] & 0x03;
            byte header4 = (byte)((write ? 0x02 : 0x00) | (except != 0 ? 0x01 : 0x00));
            if (except != 0 || maximum == 0 || startingLba >= medium.CapacityBlocks)
            {
                return Responses.Respond(PerformanceList(header4, []), int.MaxValue, data);
            }

            var current = CurrentWriteSpeed(medium.Profile);
            long end = medium.CapacityBlocks - 1;
            var nominal = new byte[PerformanceDescriptorLength];
            BinaryPrimitives.WriteUInt32BigEndian(nominal.AsSpan(0), startingLba);
            BinaryPrimitives.WriteUInt32BigEndian(nominal.AsSpan(4), SpeedKBpsAt(medium, current, startingLba));
            BinaryPrimitives.WriteUInt32BigEndian(nominal.AsSpan(8), (uint)end);
            BinaryPrimitives.WriteUInt32BigEndian(nominal.AsSpan(12), SpeedKBpsAt(medium, current, end));
            return Responses.Respond(PerformanceList(header4, [nominal]), int.MaxValue, data);
        }
    }

    /// <summary>
    /// SET CD SPEED (MMC-6; CDB: byte 1 bits 1-0 Rotation Control (00b CLV, 01b CAV; 10b/11b
    /// reserved), bits 7-2 reserved; bytes 2-3 read speed, bytes 4-5 write speed in kB/s (FFFFh:
    /// the fastest); bytes 6-10 reserved). The drive picks the offered speed nearest to the request
    /// and answers GOOD (drives round silently; the host reads the result back from GET PERFORMANCE
    /// or page 2Ah). Accepted without a medium: the request applies to the next one.
    /// </summary>
    public ScsiResult SetCdSpeed(ReadOnlySpan<byte> cdb)
    {
        if ((cdb[1] & 0xFC) != 0 || (cdb[1] & 0x03) > 0b01 || Cdb.AnySet(cdb, 6, 10))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_drive.Sync)
        {
            if (_drive.NotReady(needsMedium: false) is { } busy)
            {
                return busy;
            }

            ushort write = Cdb.UInt16(cdb, 4);
            _requestedWriteKBps = write == MmcCommands.MaximumSpeed ? uint.MaxValue : write;
            _requestedRotation = (RotationControl)(cdb[1] & 0x03);
            return ScsiResult.Good();
        }
    }

    /// <summary>
    /// SET STREAMING (MMC-6; CDB: bytes 1-7 reserved; byte 8 TYPE, 00h performance descriptor;
    /// bytes 9-10 PARAMETER LIST LENGTH). The 28-byte performance descriptor (table "Performance
    /// Descriptor"): byte 0: WRC (4-3), RDD (2), Exact (1), RA (0), bits 7-5 reserved; bytes 4-7
    /// Start LBA; 8-11 End LBA; 12-15 Read Size (kB); 16-19 Read Time (ms); 20-23 Write Size;
    /// 24-27 Write Time. RDD restores the default speed. The write speed is Write Size / Write
    /// Time; with Exact a speed the drive does not offer is 5/26/00, otherwise the nearest is
    /// taken. A zero time, End LBA before Start LBA, or WRC 1xb is 5/26/00; a list shorter than 28
    /// bytes is 5/1A/00.
    /// </summary>
    public ScsiResult SetStreaming(ReadOnlySpan<byte> cdb, ReadOnlySpan<byte> list)
    {
        int length = Cdb.UInt16(cdb, 9);
        if (Cdb.AnySet(cdb, 1, 7) || cdb[8] != 0x00 || length != list.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        if (length < StreamingPerformance.Length)
        {
            return SenseCode.ParameterListLengthError.ToResult();
        }

        bool restoreDefaults = (list[0] & 0x04) != 0;
        bool exact = (list[0] & 0x02) != 0;
        var rotation = (RotationControl)((list[0] >> 3) & 0x03);
        uint start = Cdb.UInt32(list, 4), end = Cdb.UInt32(list, 8);
        uint writeSize = Cdb.UInt32(list, 20), writeTime = Cdb.UInt32(list, 24), readTime = Cdb.UInt32(list, 16);
        if ((list[0] & 0xE0) != 0 || (int)rotation > 1 || Cdb.AnySet(list, 1, 3)
            || (!restoreDefaults && (end < start || writeTime == 0 || readTime == 0)))
        {
            return SenseCode.InvalidFieldInParameterList.ToResult();
        }

        lock (_drive.Sync)
        {
            if (_drive.NotReady(needsMedium: false) is { } busy)
            {
                return busy;
            }

            if (restoreDefaults)
            {
                _requestedWriteKBps = null;
                _requestedRotation = RotationControl.ConstantLinearVelocity;
                return ScsiResult.Good();
            }

            uint kilobytesPerSecond = (uint)Math.Min(uint.MaxValue, writeSize * 1000UL / writeTime);
            if (exact && _drive.Disc is { } medium)
            {
                var offered = WriteSpeeds.For(medium.Profile, _options.WriteSpeedX);
                if (!offered.Any(s => s.Rotation == rotation && WriteSpeeds.KBps(medium.Profile.Family, s.SpeedX) == kilobytesPerSecond))
                {
                    return SenseCode.InvalidFieldInParameterList.ToResult();
                }
            }

            _requestedWriteKBps = kilobytesPerSecond;
            _requestedRotation = rotation;
            return ScsiResult.Good();
        }
    }

    private static uint SpeedKBpsAt(SimulatedDisc medium, WriteSpeed speed, long lba) =>
        WriteSpeeds.KBps(medium.Profile.Family, WriteSpeeds.SpeedXAt(medium.Profile, speed, lba, medium.CapacityBlocks));

    private static byte[] PerformanceList(byte header4, List<byte[]> descriptors)
    {
        var response = new byte[PerformanceHeaderLength + (descriptors.Count * PerformanceDescriptorLength)];
        BinaryPrimitives.WriteUInt32BigEndian(response, (uint)(response.Length - 4));
        response[4] = header4;
        for (int i = 0; i < descriptors.Count; i++)
        {
            descriptors[i].CopyTo(response, PerformanceHeaderLength + (i * PerformanceDescriptorLength));
        }

        return response;
    }
}
