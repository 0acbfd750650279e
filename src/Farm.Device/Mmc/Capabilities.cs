using System.Buffers.Binary;
using Farm.Device.Spc;

namespace Farm.Device.Mmc;

/// <summary>Rotation control (SET CD SPEED byte 1 bits 1-0; WRC in speed descriptors): CLV or pure CAV.</summary>
public enum RotationControl : byte
{
    /// <summary>00b: CLV, or the drive's default (zoned/partial CAV).</summary>
    ConstantLinearVelocity = 0b00,

    /// <summary>01b: pure CAV (speed grows toward the outer edge).</summary>
    ConstantAngularVelocity = 0b01,
}

/// <summary>One write speed performance descriptor of page 2Ah (bytes 32+, 4 bytes each).</summary>
public sealed record CapabilityWriteSpeed(RotationControl RotationControl, ushort WriteSpeedKBps);

/// <summary>
/// MM capabilities and mechanical status page 2Ah (MMC-3 5.5.10, legacy in MMC-5 annex): byte 2
/// read bits (5 DVD-RAM, 4 DVD-R, 3 DVD-ROM, 1 CD-RW, 0 CD-R); byte 3 write bits (5 DVD-RAM, 4
/// DVD-R, 2 Test Write, 1 CD-RW, 0 CD-R); byte 4 bit 7 BUF (underrun protection), bit 6
/// multi-session; byte 6 bits 7-5 loading mechanism, bit 3 eject, bit 0 lock; bytes 8-9 maximum
/// read speed; 12-13 buffer size (KiB); 18-19 maximum write speed; 20-21 current write speed
/// (kB/s, 1 kB = 1000 bytes); MMC-3 adds byte 27 bits 1-0 rotation control selected, 28-29 current
/// write speed selected, 30-31 number of write speed descriptors, then the descriptors
/// (<c>00 RC SPEED(2)</c>).
/// </summary>
public sealed record Capabilities(
    bool ReadsCdR,
    bool ReadsCdRw,
    bool ReadsDvdRom,
    bool ReadsDvdR,
    bool ReadsDvdRam,
    bool WritesCdR,
    bool WritesCdRw,
    bool WritesDvdR,
    bool WritesDvdRam,
    bool TestWrite,
    bool BufferUnderrunProtection,
    bool MultiSession,
    bool CanEject,
    bool CanLock,
    byte LoadingMechanism,
    ushort MaximumReadSpeedKBps,
    ushort BufferSizeKiB,
    ushort MaximumWriteSpeedKBps,
    ushort CurrentWriteSpeedKBps,
    IReadOnlyList<CapabilityWriteSpeed> WriteSpeeds)
{
    public const byte PageCode = 0x2A;

    /// <summary>The MMC-1 page (page length 14h): 22 bytes through the current write speed.</summary>
    public const int MinimumPageLength = 22;

    /// <summary>Where the MMC-3 fields begin to matter: the descriptor count ends at byte 31.</summary>
    private const int Mmc3FixedLength = 32;

    private const int DescriptorLength = 4;

    /// <summary>MODE SENSE allocation that holds any single page (page length is one byte).</summary>
    public const ushort ModeSenseLength = ModeParameterHeader.Length + ModeParameterHeader.PageHeaderLength + 255;

    /// <summary>Parses MODE SENSE(10) data (header, block descriptors, page 2Ah).</summary>
    public static bool TryParse(ReadOnlySpan<byte> modeData, out Capabilities capabilities, out string? problem)
    {
        capabilities = null!;
        if (!ModeParameterHeader.TryGetPage(modeData, PageCode, out var page, out problem))
        {
            return false;
        }

        if (page.Length < MinimumPageLength)
        {
            problem = $"capabilities page has {page.Length} bytes, at least {MinimumPageLength} (the MMC-1 page) are needed";
            return false;
        }

        var currentWriteSpeed = BinaryPrimitives.ReadUInt16BigEndian(page[20..]);
        var speeds = new List<CapabilityWriteSpeed>();
        if (page.Length >= Mmc3FixedLength)
        {
            currentWriteSpeed = BinaryPrimitives.ReadUInt16BigEndian(page[28..]);
            var declared = BinaryPrimitives.ReadUInt16BigEndian(page[30..]);
            var fit = (page.Length - Mmc3FixedLength) / DescriptorLength;
            if (declared > fit)
            {
                problem = $"capabilities page declares {declared} write speed descriptors but only {fit} fit in its {page.Length} bytes";
                return false;
            }

            for (var i = 0; i < declared; i++)
            {
                var descriptor = page.Slice(Mmc3FixedLength + (i * DescriptorLength), DescriptorLength);
                speeds.Add(new CapabilityWriteSpeed((RotationControl)(descriptor[1] & 0x07), BinaryPrimitives.ReadUInt16BigEndian(descriptor[2..])));
            }
        }

        capabilities = new Capabilities(
            ReadsCdR: (page[2] & 0x01) != 0,
            ReadsCdRw: (page[2] & 0x02) != 0,
            ReadsDvdRom: (page[2] & 0x08) != 0,
            ReadsDvdR: (page[2] & 0x10) != 0,
            ReadsDvdRam: (page[2] & 0x20) != 0,
            WritesCdR: (page[3] & 0x01) != 0,
            WritesCdRw: (page[3] & 0x02) != 0,
            WritesDvdR: (page[3] & 0x10) != 0,
            WritesDvdRam: (page[3] & 0x20) != 0,
            TestWrite: (page[3] & 0x04) != 0,
            BufferUnderrunProtection: (page[4] & 0x80) != 0,
            MultiSession: (page[4] & 0x40) != 0,
            CanEject: (page[6] & 0x08) != 0,
            CanLock: (page[6] & 0x01) != 0,
            LoadingMechanism: (byte)(page[6] >> 5),
            MaximumReadSpeedKBps: BinaryPrimitives.ReadUInt16BigEndian(page[8..]),
            BufferSizeKiB: BinaryPrimitives.ReadUInt16BigEndian(page[12..]),
            MaximumWriteSpeedKBps: BinaryPrimitives.ReadUInt16BigEndian(page[18..]),
            CurrentWriteSpeedKBps: currentWriteSpeed,
            WriteSpeeds: speeds);
        return true;
    }
}
