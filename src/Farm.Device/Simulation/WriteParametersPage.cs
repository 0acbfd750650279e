using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// The drive's Write Parameters mode page (05h) as bytes (MMC-6 table "Write Parameters Mode
/// Page"), 52 bytes with the page header:
/// <code>
/// byte 0      PS (7) = 0, SPF (6) = 0, PAGE CODE (5-0) = 05h
/// byte 1      PAGE LENGTH = 32h
/// byte 2      reserved (7), BUFE (6), LS_V (5), Test Write (4), Write Type (3-0)
/// byte 3      Multi-session (7-6), FP (5), Copy (4), Track Mode (3-0)
/// byte 4      reserved (7-4), Data Block Type (3-0)
/// byte 5      Link Size; byte 6 reserved; byte 7 reserved (7-6), Host Application Code (5-0)
/// byte 8      Session Format; byte 9 reserved; bytes 10-13 Packet Size; bytes 14-15 Audio Pause Length
/// bytes 16-31 Media Catalog Number; bytes 32-47 ISRC; bytes 48-51 Sub-header
/// </code>
/// Every field outside the reserved bits is changeable. The values are checked against the
/// loaded medium (or any medium when the drive is empty) by <see cref="Validate"/>.
/// </summary>
internal sealed class WriteParametersPage
{
    public const byte PageCode = 0x05;
    public const byte PageLength = 0x32;
    public const int Length = 2 + PageLength;

    private readonly byte[] _bytes;

    private WriteParametersPage(byte[] bytes) => _bytes = bytes;

    public WriteType WriteType => (WriteType)(_bytes[2] & 0x0F);

    public bool TestWrite => (_bytes[2] & 0x10) != 0;

    public bool BufferUnderrunFree => (_bytes[2] & 0x40) != 0;

    public int MultiSession => _bytes[3] >> 6;

    public bool FixedPacket => (_bytes[3] & 0x20) != 0;

    public int TrackMode => _bytes[3] & 0x0F;

    public int DataBlockType => _bytes[4] & 0x0F;

    public uint PacketSize => Cdb.UInt32(_bytes, 10);

    /// <summary>
    /// The power-on page: incremental (valid on every recordable medium), BUFE as configured,
    /// Multi-session 00b (closing a CD/DVD-R session finalises the disc), data track recorded
    /// incrementally (5), Mode 1 blocks (8), audio pause 150 blocks.
    /// </summary>
    public static WriteParametersPage PowerOn(bool bufferUnderrunFree)
    {
        var page = new byte[Length];
        page[0] = PageCode;
        page[1] = PageLength;
        page[2] = (byte)((bufferUnderrunFree ? 0x40 : 0) | (byte)WriteType.Incremental);
        page[3] = (byte)Mmc.TrackMode.DataIncremental;
        page[4] = (byte)Mmc.DataBlockType.Mode1;
        page[15] = 150;
        return new WriteParametersPage(page);
    }

    /// <summary>The bits MODE SELECT may change (MODE SENSE page control 01b).</summary>
    public static byte[] ChangeableMask()
    {
        var mask = new byte[Length];
        mask[0] = PageCode;
        mask[1] = PageLength;
        mask[2] = 0x7F;
        mask[3] = 0xFF;
        mask[4] = 0x0F;
        mask[5] = 0xFF;
        mask[7] = 0x3F;
        mask[8] = 0xFF;
        mask.AsSpan(10, Length - 10).Fill(0xFF);
        return mask;
    }

    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>
    /// Checks a page sent by MODE SELECT (already known to be page 05h) and returns it, or the
    /// sense to answer: a page length other than 32h, PS or SPF set, a reserved bit set, or a
    /// value the medium does not allow is 5/26/00 INVALID FIELD IN PARAMETER LIST (SPC-4 MODE
    /// SELECT: a field that is not changeable may only be sent with its current value).
    /// </summary>
    public static (WriteParametersPage? Page, SenseCode? Error) Parse(ReadOnlySpan<byte> page, ProfileInfo? medium)
    {
        var mask = ChangeableMask();
        if (page.Length != Length || page[0] != PageCode || page[1] != PageLength)
        {
            return (null, SenseCode.InvalidFieldInParameterList);
        }

        for (int i = 2; i < Length; i++)
        {
            if ((page[i] & ~mask[i]) != 0)
            {
                return (null, SenseCode.InvalidFieldInParameterList);
            }
        }

        var candidate = new WriteParametersPage(page.ToArray());
        return candidate.Validate(medium) ? (candidate, null) : (null, SenseCode.InvalidFieldInParameterList);
    }

    /// <summary>
    /// Whether the write type of this page may record <paramref name="medium"/> (MMC-6 "Write
    /// Type" field: packet/TAO/SAO/raw on CD; incremental or disc-at-once on DVD-R/-RW, plus layer
    /// jump on DVD-R DL; DVD+R/+RW, DVD-RAM and BD take the page's write type 00h only).
    /// </summary>
    public bool WriteTypeFits(ProfileInfo medium) => AllowedWriteTypes(medium).Contains(WriteType);

    /// <summary>Whether Test Write is defined for the medium (MMC-6: CD-R/RW and DVD-R/-RW only).</summary>
    public static bool TestWriteAllowed(ProfileInfo? medium) =>
        medium is null || medium.Profile is Profile.CdR or Profile.CdRw or Profile.DvdRSequential
            or Profile.DvdRwSequential or Profile.DvdRDualLayerSequential;

    private bool Validate(ProfileInfo? medium)
    {
        bool cd = medium is null || medium.Family == MediaFamily.Cd;
        bool writeTypeOk = medium is null ? (int)WriteType <= (int)WriteType.LayerJump : WriteTypeFits(medium);
        bool multiSessionOk = MultiSession is 0b00 or 0b11 || (MultiSession == 0b01 && cd);
        bool dataTrack = (TrackMode & 0x04) != 0;

        // Track mode: the CD Q CONTROL nibble; 4-channel audio (bit 3) with the data bit is undefined.
        bool trackModeOk = TrackMode < 0x0C;
        bool blockTypeOk = medium is not null && medium.Family != MediaFamily.Cd
            ? DataBlockType == (int)Mmc.DataBlockType.Mode1
            : dataTrack ? DataBlockType is >= 8 and <= 13 : DataBlockType is >= 0 and <= 3;
        bool packetOk = !FixedPacket || (WriteType == WriteType.Incremental && PacketSize > 0);
        bool sessionFormatOk = _bytes[8] is 0x00 or 0x10 or 0x20;
        bool testWriteOk = !TestWrite || TestWriteAllowed(medium);
        return writeTypeOk && multiSessionOk && trackModeOk && blockTypeOk && packetOk && sessionFormatOk && testWriteOk;
    }

    private static WriteType[] AllowedWriteTypes(ProfileInfo medium) => medium.Profile switch
    {
        Profile.CdR or Profile.CdRw => [WriteType.Incremental, WriteType.TrackAtOnce, WriteType.SessionAtOnce, WriteType.Raw],
        Profile.DvdRSequential or Profile.DvdRwSequential => [WriteType.Incremental, WriteType.SessionAtOnce],
        Profile.DvdRDualLayerSequential => [WriteType.Incremental, WriteType.SessionAtOnce, WriteType.LayerJump],
        _ => [WriteType.Incremental],
    };
}
