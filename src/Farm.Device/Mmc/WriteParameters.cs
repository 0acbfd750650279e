using System.Buffers.Binary;
using Farm.Device.Spc;

namespace Farm.Device.Mmc;

/// <summary>
/// Write parameters mode page 05h (MMC-5 7.5): byte 0 bit 7 PS, bits 5-0 page code 05h; byte 1
/// page length 32h; byte 2 bit 6 BUFE, bit 5 LS_V, bit 4 Test Write, bits 3-0 write type; byte 3
/// bits 7-6 multi-session, bit 5 FP, bit 4 copy, bits 3-0 track mode; byte 4 bits 3-0 data block
/// type; byte 5 link size; byte 7 bits 5-0 host application code; byte 8 session format; bytes
/// 10-13 packet size; bytes 14-15 audio pause length; 16-31 MCN, 32-47 ISRC, 48-51 sub-header (left
/// zero by the builder: the farm writes data discs).
/// </summary>
public sealed record WriteParameters
{
    public const byte PageCode = 0x05;

    /// <summary>Page length field of the MMC-2 and later page: 32h, 52 bytes with the page header.</summary>
    public const byte PageLengthField = 0x32;

    /// <summary>MODE SENSE allocation for the header and this page.</summary>
    public const ushort ModeSenseLength = ModeParameterHeader.Length + ModeParameterHeader.PageHeaderLength + PageLengthField;

    /// <summary>The page through the audio pause length (byte 15): what the parser needs.</summary>
    public const int MinimumPageLength = 16;

    /// <summary>Parameters of a data disc: incremental, 2048-byte Mode 1 blocks, buffer-underrun-free.</summary>
    public static WriteParameters DataDefaults { get; } = new();

    public WriteType WriteType { get; init; } = WriteType.Incremental;

    /// <summary>Test Write: the laser stays at read power (simulation); CD-R/RW and DVD-R only.</summary>
    public bool TestWrite { get; init; }

    /// <summary>BUFE: buffer underrun free recording (BURN-Proof and friends).</summary>
    public bool BufferUnderrunFree { get; init; } = true;

    /// <summary>LS_V: <see cref="LinkSize"/> is valid (CD-R packet writing, DVD-R incremental).</summary>
    public bool LinkSizeValid { get; init; }

    public MultiSession MultiSession { get; init; } = MultiSession.NoNextSession;

    /// <summary>FP: fixed packets (packet writing with <see cref="PacketSize"/>).</summary>
    public bool FixedPacket { get; init; }

    /// <summary>Copy: the SCMS copy bit (audio CD).</summary>
    public bool Copy { get; init; }

    public TrackMode TrackMode { get; init; } = TrackMode.DataIncremental;

    public DataBlockType DataBlockType { get; init; } = DataBlockType.Mode1;

    /// <summary>Link size in blocks when <see cref="LinkSizeValid"/> (7 for CD-R, 16 for DVD-R).</summary>
    public byte LinkSize { get; init; }

    /// <summary>Host (initiator) application code, byte 7 bits 5-0; used by restricted-use discs.</summary>
    public byte HostApplicationCode { get; init; }

    public SessionFormat SessionFormat { get; init; } = SessionFormat.CdDaOrCdRom;

    /// <summary>Blocks per fixed packet when <see cref="FixedPacket"/> is set (32 for CD-RW UDF).</summary>
    public uint PacketSize { get; init; }

    /// <summary>Audio pause length in blocks (150 = 2 seconds).</summary>
    public ushort AudioPauseLength { get; init; } = 150;

    /// <summary>PS: the drive can save the page (MODE SENSE only; reserved in MODE SELECT).</summary>
    public bool Savable { get; init; }

    /// <summary>Parses MODE SENSE(10) data (header, block descriptors, page 05h).</summary>
    public static bool TryParse(ReadOnlySpan<byte> modeData, out WriteParameters parameters, out string? problem)
    {
        parameters = DataDefaults;
        if (!ModeParameterHeader.TryGetPage(modeData, PageCode, out var page, out problem))
        {
            return false;
        }

        if (page.Length < MinimumPageLength)
        {
            problem = $"write parameters page has {page.Length} bytes, at least {MinimumPageLength} are needed (through the audio pause length)";
            return false;
        }

        parameters = new WriteParameters
        {
            Savable = (page[0] & 0x80) != 0,
            BufferUnderrunFree = (page[2] & 0x40) != 0,
            LinkSizeValid = (page[2] & 0x20) != 0,
            TestWrite = (page[2] & 0x10) != 0,
            WriteType = (WriteType)(page[2] & 0x0F),
            MultiSession = (MultiSession)(page[3] >> 6),
            FixedPacket = (page[3] & 0x20) != 0,
            Copy = (page[3] & 0x10) != 0,
            TrackMode = (TrackMode)(page[3] & 0x0F),
            DataBlockType = (DataBlockType)(page[4] & 0x0F),
            LinkSize = page[5],
            HostApplicationCode = (byte)(page[7] & 0x3F),
            SessionFormat = (SessionFormat)page[8],
            PacketSize = BinaryPrimitives.ReadUInt32BigEndian(page[10..]),
            AudioPauseLength = BinaryPrimitives.ReadUInt16BigEndian(page[14..]),
        };
        return true;
    }

    /// <summary>
    /// The MODE SELECT(10) parameter list: an 8-byte header (mode data length reserved, no block
    /// descriptors) and the 52-byte page with PS clear (reserved in MODE SELECT).
    /// </summary>
    public byte[] ToModeSelectParameterList()
    {
        var list = new byte[ModeParameterHeader.Length + ModeParameterHeader.PageHeaderLength + PageLengthField];
        var page = list.AsSpan(ModeParameterHeader.Length);
        page[0] = PageCode;
        page[1] = PageLengthField;
        page[2] = (byte)((BufferUnderrunFree ? 0x40 : 0) | (LinkSizeValid ? 0x20 : 0) | (TestWrite ? 0x10 : 0) | ((byte)WriteType & 0x0F));
        page[3] = (byte)((((byte)MultiSession & 0x03) << 6) | (FixedPacket ? 0x20 : 0) | (Copy ? 0x10 : 0) | ((byte)TrackMode & 0x0F));
        page[4] = (byte)((byte)DataBlockType & 0x0F);
        page[5] = LinkSize;
        page[7] = (byte)(HostApplicationCode & 0x3F);
        page[8] = (byte)SessionFormat;
        BinaryPrimitives.WriteUInt32BigEndian(page[10..], PacketSize);
        BinaryPrimitives.WriteUInt16BigEndian(page[14..], AudioPauseLength);
        return list;
    }
}
