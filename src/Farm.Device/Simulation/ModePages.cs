using System.Buffers.Binary;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// A simulated drive's mode pages: MODE SENSE(10) and MODE SELECT(10) of the write parameters page
/// (05h, the one the host changes) and the capabilities page (2Ah, read-only), and what page 05h
/// means for a WRITE (<see cref="CheckWriteMode"/>, <see cref="WritesAudioBlocks"/>,
/// <see cref="IsDiscAtOnce"/>). The page persists across media, as the host set it.
/// </summary>
internal sealed class ModePages
{
    private const int ModeHeaderLength = 8;
    private const byte CapabilitiesPageCode = 0x2A;
    private const byte AllPages = 0x3F;

    private readonly IDriveCore _drive;
    private readonly SimulatedDriveOptions _options;
    private readonly WriteSpeedSelection _speeds;

    private WriteParametersPage _writeParameters;

    public ModePages(IDriveCore drive, SimulatedDriveOptions options, WriteSpeedSelection speeds)
    {
        _drive = drive;
        _options = options;
        _speeds = speeds;
        _writeParameters = WriteParametersPage.PowerOn(options.BufferUnderrunFree);
    }

    /// <summary>The write parameters page (05h) now: write type, data block type, BUFE, multi-session (call under the lock).</summary>
    public WriteParametersPage WriteParameters => _writeParameters;

    /// <summary>The pages return to their power-on values (call under the lock).</summary>
    public void PowerOn() => _writeParameters = WriteParametersPage.PowerOn(_options.BufferUnderrunFree);

    /// <summary>
    /// MODE SENSE(10) (SPC-4 / MMC-6; CDB: byte 1: LLBAA (4), DBD (3), others reserved; byte 2: PC
    /// (7-6), PAGE CODE (5-0); byte 3 SUBPAGE CODE; bytes 4-6 reserved; bytes 7-8 ALLOCATION
    /// LENGTH). Pages 05h, 2Ah and 3Fh (both); subpages are not implemented (5/24/00). PC 00b
    /// current, 01b changeable (05h: its mask; 2Ah: nothing), 10b default (power-on); 11b saved is
    /// 5/39/00 SAVING PARAMETERS NOT SUPPORTED. The mode parameter header(10) (SPC-4 table "Mode
    /// parameter header(10)"): bytes 0-1 MODE DATA LENGTH, byte 2 medium type 0, byte 3 device
    /// specific 0, bytes 6-7 BLOCK DESCRIPTOR LENGTH 0 (MMC drives return none).
    /// </summary>
    public ScsiResult ModeSense(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        int control = cdb[2] >> 6;
        int pageCode = cdb[2] & 0x3F;
        if ((cdb[1] & 0xE7) != 0 || cdb[3] != 0 || Cdb.AnySet(cdb, 4, 6) || pageCode is not (WriteParametersPage.PageCode or CapabilitiesPageCode or AllPages))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        if (control == 0b11)
        {
            return SenseCode.SavingParametersNotSupported.ToResult();
        }

        lock (_drive.Sync)
        {
            var pages = new List<byte[]>();
            if (pageCode is WriteParametersPage.PageCode or AllPages)
            {
                pages.Add(control switch
                {
                    0b01 => WriteParametersPage.ChangeableMask(),
                    0b10 => WriteParametersPage.PowerOn(_options.BufferUnderrunFree).ToBytes(),
                    _ => _writeParameters.ToBytes(),
                });
            }

            if (pageCode is CapabilitiesPageCode or AllPages)
            {
                var capabilities = CapabilitiesPage();
                if (control == 0b01)
                {
                    capabilities.AsSpan(2).Clear();
                }

                pages.Add(capabilities);
            }

            var response = new byte[ModeHeaderLength + pages.Sum(p => p.Length)];
            BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)(response.Length - 2));
            int offset = ModeHeaderLength;
            foreach (var page in pages)
            {
                page.CopyTo(response, offset);
                offset += page.Length;
            }

            return Responses.Respond(response, Cdb.UInt16(cdb, 7), data);
        }
    }

    /// <summary>
    /// MODE SELECT(10) (SPC-4 / MMC-6; CDB: byte 1: PF (4), SP (0), others reserved; bytes 2-6
    /// reserved; bytes 7-8 PARAMETER LIST LENGTH). PF must be one (MMC pages); SP = 1 (save) is not
    /// supported: both 5/24/00. A list length other than the data phase is 5/24/00; zero is a
    /// no-op; a list too short for the header or cut inside a page is 5/1A/00. In the list the
    /// header's MODE DATA LENGTH is reserved and must be zero, no block descriptors may follow,
    /// each page must have PS and SPF clear; page 05h is checked by
    /// <see cref="WriteParametersPage.Parse"/>; page 2Ah has nothing changeable, so it is accepted
    /// only unchanged; any other page is 5/26/00. The pages take effect together, only if all pass.
    /// </summary>
    public ScsiResult ModeSelect(ReadOnlySpan<byte> cdb, ReadOnlySpan<byte> list)
    {
        int length = Cdb.UInt16(cdb, 7);
        if ((cdb[1] & 0xEE) != 0 || (cdb[1] & 0x10) == 0 || (cdb[1] & 0x01) != 0 || Cdb.AnySet(cdb, 2, 6) || length != list.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        if (length == 0)
        {
            return ScsiResult.Good();
        }

        if (length < ModeHeaderLength)
        {
            return SenseCode.ParameterListLengthError.ToResult();
        }

        if (Cdb.UInt16(list, 0) != 0 || Cdb.UInt16(list, 6) != 0 || Cdb.AnySet(list, 2, 5))
        {
            return SenseCode.InvalidFieldInParameterList.ToResult();
        }

        lock (_drive.Sync)
        {
            if (_drive.NotReady(needsMedium: false) is { } busy)
            {
                return busy;
            }

            WriteParametersPage? newWriteParameters = null;
            for (int offset = ModeHeaderLength; offset < list.Length;)
            {
                if (offset + 2 > list.Length || offset + 2 + list[offset + 1] > list.Length)
                {
                    return SenseCode.ParameterListLengthError.ToResult();
                }

                var page = list.Slice(offset, 2 + list[offset + 1]);
                offset += page.Length;
                if ((page[0] & 0xC0) != 0)
                {
                    return SenseCode.InvalidFieldInParameterList.ToResult();
                }

                switch (page[0] & 0x3F)
                {
                    case WriteParametersPage.PageCode:
                        var (parsed, error) = WriteParametersPage.Parse(page, _drive.Disc?.Profile);
                        if (error is { } invalid)
                        {
                            return invalid.ToResult();
                        }

                        newWriteParameters = parsed;
                        break;
                    case CapabilitiesPageCode when page.SequenceEqual(CapabilitiesPage()):
                        break;
                    default:
                        return SenseCode.InvalidFieldInParameterList.ToResult();
                }
            }

            _writeParameters = newWriteParameters ?? _writeParameters;
            return ScsiResult.Good();
        }
    }

    /// <summary>
    /// The MM Capabilities and Mechanical Status page (2Ah; MMC-3 table "CD Capabilities and
    /// Mechanical Status Page", kept as legacy by MMC-6), 32 bytes plus 4 per write speed
    /// descriptor: byte 2 reads (DVD-RAM 5, DVD-R 4, DVD-ROM 3, CD-RW 1, CD-R 0); byte 3 writes
    /// (DVD-RAM 5, DVD-R 4, Test Write 2, CD-RW 1, CD-R 0); byte 4 BUF (7), Multi-session (6);
    /// byte 6 loading mechanism (7-5) 001b tray, Eject (3), Lock State (1), Lock (0); bytes 8-9
    /// maximum read speed; 12-13 buffer size (KiB); 14-15 current read speed; 18-19 maximum
    /// write speed; 20-21 current write speed; byte 27 bits 1-0 rotation control selected; 28-29
    /// current write speed selected; 30-31 number of write speed descriptors; then descriptors
    /// (byte 1 bits 2-0 rotation control, bytes 2-3 write speed). Speeds in kB/s for the loaded
    /// medium; without one, zero and no descriptors.
    /// </summary>
    private byte[] CapabilitiesPage()
    {
        var medium = _drive.Disc?.Profile;
        var offered = medium is null ? [] : WriteSpeeds.For(medium, _options.WriteSpeedX);
        var page = new byte[32 + (4 * offered.Count)];
        page[0] = CapabilitiesPageCode;
        page[1] = (byte)(page.Length - 2);
        page[2] = 0x20 | 0x10 | 0x08 | 0x02 | 0x01;
        page[3] = 0x20 | 0x10 | 0x04 | 0x02 | 0x01;
        page[4] = 0x80 | 0x40;
        page[6] = (byte)(0x20 | 0x08 | (_drive.RemovalPrevented ? 0x02 : 0x00) | 0x01);
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(12), (ushort)Math.Min(ushort.MaxValue, _options.BufferBytes / 1024));
        if (medium is not null)
        {
            var family = medium.Family;
            var current = _speeds.CurrentWriteSpeed(medium);
            ushort top = (ushort)WriteSpeeds.KBps(family, offered[0].SpeedX);
            ushort now = (ushort)WriteSpeeds.KBps(family, current.SpeedX);
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(8), top);
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(14), top);
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(18), top);
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(20), now);
            page[27] = (byte)current.Rotation;
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(28), now);
            BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(30), (ushort)offered.Count);
            for (int i = 0; i < offered.Count; i++)
            {
                page[32 + (4 * i) + 1] = (byte)offered[i].Rotation;
                BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(32 + (4 * i) + 2), (ushort)WriteSpeeds.KBps(family, offered[i].SpeedX));
            }
        }

        return page;
    }

    /// <summary>Page 05h asks for 2352-byte CD-DA blocks (data block type 0, an audio track mode) on a CD.</summary>
    public bool WritesAudioBlocks(SimulatedDisc? medium) =>
        medium?.Profile.Family == MediaFamily.Cd
        && _writeParameters.DataBlockType == (int)DataBlockType.Raw2352
        && (_writeParameters.TrackMode & 0x04) == 0;

    /// <summary>DVD-R/-RW with write type 02h: disc-at-once, one reserved track written in one go.</summary>
    public bool IsDiscAtOnce(SimulatedDisc medium) =>
        _writeParameters.WriteType == WriteType.SessionAtOnce
        && medium.Profile.Profile is Profile.DvdRSequential or Profile.DvdRwSequential or Profile.DvdRDualLayerSequential;

    /// <summary>
    /// Whether page 05h lets a WRITE at <paramref name="lba"/> record this medium (call under the
    /// lock): a write type the medium does not define, or blocks that are not 2048 bytes of user
    /// data (data block types other than Mode 1 and Mode 2 Form 1), is 5/64/00 ILLEGAL MODE FOR THIS
    /// TRACK. Disc-at-once must write a reserved track and CD session-at-once needs a cue sheet
    /// (SEND CUE SHEET is not simulated): both 5/2C/00 otherwise.
    /// </summary>
    public SenseCode? CheckWriteMode(SimulatedDisc medium, long lba)
    {
        if (medium.IsOverwritable)
        {
            return null;
        }

        if (WritesAudioBlocks(medium))
        {
            // CD-DA: track-at-once at the NWA, or session-at-once after SEND CUE SHEET (checked by the disc).
            return _writeParameters.WriteType is WriteType.TrackAtOnce or WriteType.SessionAtOnce ? null : SenseCode.IllegalModeForThisTrack;
        }

        if (!_writeParameters.WriteTypeFits(medium.Profile)
            || _writeParameters.DataBlockType is not ((int)DataBlockType.Mode1 or (int)DataBlockType.Mode2Form1)
            || _writeParameters.WriteType == WriteType.Raw)
        {
            return SenseCode.IllegalModeForThisTrack;
        }

        bool sessionAtOnce = _writeParameters.WriteType == WriteType.SessionAtOnce;
        if (sessionAtOnce && (medium.Profile.Family == MediaFamily.Cd || medium.OpenTrackAt(lba) is { Reserved: false }))
        {
            return SenseCode.CommandSequenceError;
        }

        return null;
    }
}
