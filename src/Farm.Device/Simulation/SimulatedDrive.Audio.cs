using Farm.Device.Audio;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>CD-DA: SEND CUE SHEET, READ TOC/PMA/ATIP (formats 0, 1, 2, 5), READ CD (the write mode of audio blocks is <see cref="ModePages.WritesAudioBlocks"/>).</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>
    /// SEND CUE SHEET (MMC-5; CDB: bytes 1-5 reserved, bytes 6-8 CUE SHEET SIZE, byte 9 control).
    /// The size must be the data phase (5/24/00) and a non-zero multiple of 8 (5/1A/00). It needs
    /// a blank CD-R/RW and page 05h set to session-at-once with CD-DA blocks: otherwise 5/2C/00
    /// COMMAND SEQUENCE ERROR (a DVD or BD drive would not know the command: this one is a CD
    /// writer's answer). The sheet itself is checked by <see cref="CueSheetPlan.Parse"/> (5/26/00).
    /// </summary>
    private ScsiResult SendCueSheet(ReadOnlySpan<byte> cdb, ReadOnlySpan<byte> list)
    {
        int size = (cdb[6] << 16) | (cdb[7] << 8) | cdb[8];
        if (Cdb.AnySet(cdb, 1, 5) || size != list.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        if (size == 0 || size % 8 != 0)
        {
            return SenseCode.ParameterListLengthError.ToResult();
        }

        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            var medium = _disc!;
            if (medium.Profile.Profile is not (Profile.CdR or Profile.CdRw) || medium.Status != DiscStatus.Empty
                || _modePages.WriteParameters.WriteType != WriteType.SessionAtOnce || !_modePages.WritesAudioBlocks(medium))
            {
                return SenseCode.CommandSequenceError.ToResult();
            }

            var (plan, error) = CueSheetPlan.Parse(list, medium.CapacityBlocks);
            if (error is { } invalid)
            {
                return invalid.ToResult();
            }

            medium.BeginSessionAtOnce(plan!);
            return ScsiResult.Good();
        }
    }

    /// <summary>
    /// READ TOC/PMA/ATIP (MMC-5; CDB: byte 1 bit 1 MSF, other bits reserved; byte 2 bits 3-0
    /// FORMAT, bits 7-4 reserved; bytes 3-5 reserved; byte 6 TRACK/SESSION NUMBER; bytes 7-8
    /// ALLOCATION LENGTH). Formats 0 (TOC), 1 (session information), 2 (raw TOC) and 5 (CD-TEXT:
    /// the lead-in's packs, see <see cref="TocResponses.CdText"/>) of the complete sessions; PMA (3)
    /// and ATIP (4) are not simulated: 5/24/00. A disc without a complete session, a DVD/BD, a
    /// starting track that does not exist, or format 5 on a disc without CD-TEXT: 5/24/00.
    /// </summary>
    private ScsiResult ReadToc(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        bool msf = (cdb[1] & 0x02) != 0;
        int format = cdb[2] & 0x0F;
        if ((cdb[1] & 0xFD) != 0 || (cdb[2] & 0xF0) != 0 || Cdb.AnySet(cdb, 3, 5) || format is not (0 or 1 or 2 or 5))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            var medium = _disc!;
            if (medium.Profile.Family != MediaFamily.Cd || TocResponses.Closed(medium) is not { } closed)
            {
                return SenseCode.InvalidFieldInCdb.ToResult();
            }

            byte[]? response = format switch
            {
                0 => TocResponses.Toc(medium, closed.Tracks, closed.LeadOut, cdb[6], msf),
                1 => TocResponses.SessionInfo(medium, closed.Tracks, msf),
                5 => TocResponses.CdText(medium),
                _ => TocResponses.FullToc(medium, closed.Tracks, Math.Max((int)cdb[6], 1)),
            };
            return response is null ? SenseCode.InvalidFieldInCdb.ToResult() : Respond(response, Cdb.UInt16(cdb, 7), data);
        }
    }

    /// <summary>
    /// READ CD (MMC-5; CDB: byte 1 bits 4-2 EXPECTED SECTOR TYPE, bit 1 DAP, bits 7-5 and 0
    /// reserved; bytes 2-5 LBA; bytes 6-8 TRANSFER LENGTH; byte 9 SYNC (7), HEADER CODES (6-5), USER
    /// DATA (4), EDC/ECC (3), C2 (2-1); byte 10 SUB-CHANNEL (2-0)). CD-DA only: sector type 000b (any)
    /// or 001b (CD-DA); byte 9 10h or F8h (both mean the 2352 bytes of an audio block); no
    /// sub-channel; the buffer exactly TRANSFER LENGTH x 2352 bytes. Anything else 5/24/00; a data
    /// track (or a data sector type) 5/64/00; outside the recorded audio 5/21/00.
    /// </summary>
    private ScsiResult ReadCd(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        int sectorType = (cdb[1] >> 2) & 0x07;
        long lba = (int)Cdb.UInt32(cdb, 2);
        long blocks = (cdb[6] << 16) | (cdb[7] << 8) | cdb[8];
        if ((cdb[1] & 0xE1) != 0 || cdb[9] is not (0x10 or 0xF8) || cdb[10] != 0 || blocks * CdAddress.BlockBytes != data.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            if (blocks == 0)
            {
                return ScsiResult.Good();
            }

            if (sectorType > 1)
            {
                return SenseCode.IllegalModeForThisTrack.ToResult();
            }

            if (_disc!.CheckReadAudio(lba, blocks) is { } error)
            {
                return error.ToResult();
            }

            _disc.ReadAudio(lba, data);
            return ScsiResult.Good();
        }
    }
}
