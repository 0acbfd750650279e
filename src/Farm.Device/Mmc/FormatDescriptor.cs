using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>Format type (MMC-5 6.5.4.2, format descriptor byte 4 bits 7-2), as sent and as offered by READ FORMAT CAPACITIES.</summary>
public enum FormatType : byte
{
    /// <summary>00h: full format (DVD-RAM, DVD-RW to restricted overwrite, BD-RE with default spare).</summary>
    Full = 0x00,

    /// <summary>01h: spare area expansion (DVD-RAM, BD).</summary>
    SpareAreaExpansion = 0x01,

    /// <summary>10h: CD-RW / DVD-RW full format.</summary>
    RewritableFull = 0x10,

    /// <summary>11h: CD-RW / DVD-RW grow session.</summary>
    RewritableGrowSession = 0x11,

    /// <summary>13h: DVD-RW quick grow the last session (restricted overwrite).</summary>
    DvdMinusRwQuickGrowLastSession = 0x13,

    /// <summary>15h: DVD-RW quick format to restricted overwrite (intermediate state).</summary>
    DvdMinusRwQuick = 0x15,

    /// <summary>26h: DVD+RW basic format (background formatting, MMC-5 6.5.4.2.14).</summary>
    DvdPlusRwBasic = 0x26,

    /// <summary>30h: BD-RE full format with spare areas (subtype chooses certification).</summary>
    BdReWithSpareAreas = 0x30,

    /// <summary>31h: BD-RE full format without spare areas.</summary>
    BdReWithoutSpareAreas = 0x31,

    /// <summary>32h: BD-R full format with spare areas (BD-R RRM/POW).</summary>
    BdRWithSpareAreas = 0x32,
}

/// <summary>BD-RE format subtype for <see cref="FormatType.BdReWithSpareAreas"/> (byte 4 bits 1-0).</summary>
public enum BdFormatSubtype : byte
{
    /// <summary>00b: quick reformat (keeps the defect list).</summary>
    QuickReformat = 0b00,

    /// <summary>01b: no certification.</summary>
    NoCertification = 0b01,

    /// <summary>10b: full certification (reads every block back; hours).</summary>
    FullCertification = 0b10,

    /// <summary>11b: quick certification.</summary>
    QuickCertification = 0b11,
}

/// <summary>
/// One FORMAT UNIT format descriptor (MMC-5 6.5.4.2, 8 bytes): bytes 0-3 number of blocks, byte 4
/// bits 7-2 format type and bits 1-0 subtype, bytes 5-7 the type dependent parameter (DVD-RW: the
/// block size in sectors, 16; DVD+RW 26h: byte 7 bit 0 restart; DVD-RAM/BD: block length).
/// </summary>
public sealed record FormatDescriptor(FormatType Type, uint NumberOfBlocks, uint TypeDependentParameter = 0, byte Subtype = 0)
{
    public const int Length = 8;

    /// <summary>Format list header (4 bytes) plus one descriptor.</summary>
    public const int ParameterListLength = 4 + Length;

    /// <summary>"As large as the medium allows" in the number of blocks field.</summary>
    public const uint MaximumBlocks = 0xFFFF_FFFF;

    /// <summary>DVD-RW ECC block: 16 sectors of 2048 bytes (32 KiB), the type dependent parameter of 10h/13h/15h.</summary>
    public const uint DvdEccBlockSectors = 16;

    /// <summary>DVD+RW basic format of the whole disc (26h, all blocks); <paramref name="restart"/> resumes a stopped background format.</summary>
    public static FormatDescriptor DvdPlusRwBasic(bool restart = false) =>
        new(FormatType.DvdPlusRwBasic, MaximumBlocks, restart ? 1u : 0u);

    /// <summary>DVD-RW quick format (15h) or full format (10h) of <paramref name="blocks"/> (from READ FORMAT CAPACITIES).</summary>
    public static FormatDescriptor DvdMinusRw(bool quick, uint blocks) =>
        new(quick ? FormatType.DvdMinusRwQuick : FormatType.RewritableFull, blocks, DvdEccBlockSectors);

    /// <summary>BD-RE format with spare areas (30h) and a certification subtype, or without (31h).</summary>
    public static FormatDescriptor BdRe(bool spareAreas, uint blocks, BdFormatSubtype subtype = BdFormatSubtype.QuickCertification) =>
        spareAreas
            ? new(FormatType.BdReWithSpareAreas, blocks, 0, (byte)subtype)
            : new(FormatType.BdReWithoutSpareAreas, blocks);

    /// <summary>Exactly what the drive offered in READ FORMAT CAPACITIES (the safest descriptor to send).</summary>
    public static FormatDescriptor From(FormattableCapacity offered, byte subtype = 0)
    {
        ArgumentNullException.ThrowIfNull(offered);
        return new(offered.Type, offered.NumberOfBlocks, offered.TypeDependentParameter, subtype);
    }

    /// <summary>
    /// The FORMAT UNIT parameter list (MMC-5 6.5.3): format list header <c>00 FLAGS 00 08</c>, byte 1
    /// bit 1 Immed (return at once, then poll TEST UNIT READY), bytes 2-3 descriptor length 8; then
    /// this descriptor.
    /// </summary>
    public byte[] ToParameterList(bool immediate)
    {
        var list = new byte[ParameterListLength];
        list[1] = (byte)(immediate ? 0x02 : 0x00);
        list[3] = Length;
        var descriptor = list.AsSpan(4);
        BinaryPrimitives.WriteUInt32BigEndian(descriptor, NumberOfBlocks);
        descriptor[4] = (byte)((((byte)Type & 0x3F) << 2) | (Subtype & 0x03));
        descriptor[5] = (byte)(TypeDependentParameter >> 16);
        descriptor[6] = (byte)(TypeDependentParameter >> 8);
        descriptor[7] = (byte)TypeDependentParameter;
        return list;
    }
}
