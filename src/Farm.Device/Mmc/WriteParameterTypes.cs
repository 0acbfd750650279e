namespace Farm.Device.Mmc;

/// <summary>Write type (write parameters page 05h byte 2 bits 3-0; MMC-5 7.5, Write Parameters mode page).</summary>
public enum WriteType : byte
{
    /// <summary>Packet (CD) or incremental (DVD-R, BD-R SRM): written in pieces at the NWA.</summary>
    Incremental = 0x00,

    /// <summary>Track at once (CD): one track per WRITE run, run-in/run-out blocks between tracks.</summary>
    TrackAtOnce = 0x01,

    /// <summary>Session at once (CD, after SEND CUE SHEET) / disc at once (DVD-R, after RESERVE TRACK).</summary>
    SessionAtOnce = 0x02,

    /// <summary>Raw (CD): the host sends lead-in and sub-channel itself.</summary>
    Raw = 0x03,

    /// <summary>Layer jump recording (DVD-R DL).</summary>
    LayerJump = 0x04,
}

/// <summary>Multi-session field (page 05h byte 3 bits 7-6): what the closed session allows next.</summary>
public enum MultiSession : byte
{
    /// <summary>00b: no next session (the disc is finalized when the session closes).</summary>
    NoNextSession = 0b00,

    /// <summary>01b: CD only, no next session but the B0 pointer is written as FF:FF:FF.</summary>
    NoNextSessionB0Pointer = 0b01,

    /// <summary>11b: a next session is allowed (the disc stays appendable).</summary>
    NextSessionAllowed = 0b11,
}

/// <summary>
/// Track mode (page 05h byte 3 bits 3-0): the CD Q sub-channel CONTROL nibble (MMC-5 7.5 and
/// 4.2.3.4, Red Book). Bit 2 = data, bit 0 = incremental for data / pre-emphasis for audio, bit 1 =
/// digital copy permitted. DVD and BD drives ignore it; libburn sends 5 for DVD.
/// </summary>
public enum TrackMode : byte
{
    /// <summary>0000b: two-channel audio, no pre-emphasis.</summary>
    Audio = 0x0,

    /// <summary>0001b: two-channel audio with pre-emphasis.</summary>
    AudioWithPreEmphasis = 0x1,

    /// <summary>0100b: data track recorded uninterrupted (TAO/SAO data CD).</summary>
    DataUninterrupted = 0x4,

    /// <summary>0101b: data track recorded incrementally (packet writing, DVD).</summary>
    DataIncremental = 0x5,
}

/// <summary>Data block type (page 05h byte 4 bits 3-0; MMC-5 7.5): the block each WRITE carries.</summary>
public enum DataBlockType : byte
{
    /// <summary>0: 2352 bytes raw.</summary>
    Raw2352 = 0,

    /// <summary>1: 2368 bytes raw with P and Q sub-channel.</summary>
    RawWithPq = 1,

    /// <summary>2: 2448 bytes raw with P-W sub-channel, packed.</summary>
    RawWithPwPacked = 2,

    /// <summary>3: 2448 bytes raw with P-W sub-channel, raw.</summary>
    RawWithPw = 3,

    /// <summary>8: 2048 bytes Mode 1 user data; what every DVD/BD and data CD write uses.</summary>
    Mode1 = 8,

    /// <summary>9: 2336 bytes Mode 2.</summary>
    Mode2 = 9,

    /// <summary>10: 2048 bytes Mode 2 (XA) form 1.</summary>
    Mode2Form1 = 10,

    /// <summary>11: 2056 bytes Mode 2 form 1 with the 8-byte sub-header.</summary>
    Mode2Form1WithSubheader = 11,

    /// <summary>12: 2324 bytes Mode 2 form 2.</summary>
    Mode2Form2 = 12,

    /// <summary>13: 2332 bytes Mode 2 form 1, form 2 or mixed, with sub-header.</summary>
    Mode2Mixed = 13,
}

/// <summary>Session format (page 05h byte 8): written in the TOC when a CD session closes.</summary>
public enum SessionFormat : byte
{
    /// <summary>00h: CD-DA or CD-ROM.</summary>
    CdDaOrCdRom = 0x00,

    /// <summary>10h: CD-I.</summary>
    CdI = 0x10,

    /// <summary>20h: CD-ROM XA.</summary>
    CdRomXa = 0x20,
}
