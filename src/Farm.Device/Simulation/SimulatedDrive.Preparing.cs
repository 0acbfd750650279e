using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>BLANK, RESERVE TRACK and SEND OPC INFORMATION: getting a medium ready for writing.</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>
    /// BLANK (MMC-6; CDB: byte 1: reserved (7-5), IMMED (4), reserved (3), BLANKING TYPE (2-0);
    /// bytes 2-5 START ADDRESS/TRACK NUMBER; bytes 6-10 reserved). Blanking types 000b (the whole
    /// disc) and 001b (minimal: PMA/TOC or RMA, the disc reads as blank) on CD-RW and DVD-RW
    /// (sequential or restricted overwrite, which returns to sequential); the start address must
    /// be zero for them. The other types are not simulated and, like BLANK on a medium that cannot
    /// be blanked (CD-R, DVD±R, DVD+RW, BD), answer 5/24/00: MMC-6 rejects a blanking type the
    /// medium does not support as an invalid field, and the opcode itself is supported. While it
    /// runs the drive answers 2/04/07 OPERATION IN PROGRESS with progress; the disc is blank when
    /// it ends. A full blank takes the time to record the whole disc, a minimal one
    /// <see cref="SimulatedDriveOptions.MinimalBlankDuration"/>.
    /// </summary>
    private async ValueTask<ScsiResult> BlankAsync(ReadOnlyMemory<byte> cdbMemory, CancellationToken cancellationToken)
    {
        var cdb = cdbMemory.Span;
        var type = (BlankingType)(cdb[1] & 0x07);
        if ((cdb[1] & 0xE8) != 0 || Cdb.AnySet(cdb, 6, 10) || type is not (BlankingType.Full or BlankingType.Minimal) || Cdb.UInt32(cdb, 2) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        bool immediate = (cdb[1] & 0x10) != 0;
        LongOperation? operation;
        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            var medium = _disc!;
            if (medium.Profile.Profile is not (Profile.CdRw or Profile.DvdRwSequential or Profile.DvdRwRestrictedOverwrite))
            {
                return SenseCode.InvalidFieldInCdb.ToResult();
            }

            var duration = type == BlankingType.Full ? FullMediumTime(medium) : _options.MinimalBlankDuration;
            operation = _longOperations.Begin($"blank ({type})", DrivePhase.Blanking, SenseCode.OperationInProgress, duration, medium.BlankAll);
            if (operation is null || immediate)
            {
                return ScsiResult.Good();
            }
        }

        return await AwaitLongOperationAsync(operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// RESERVE TRACK (MMC-6; CDB: byte 1: reserved (7-2), RMZ (1), ARSV (0); ARSV = 0: bytes 2-4
    /// reserved, bytes 5-8 RESERVATION SIZE in blocks; ARSV = 1: bytes 2-5 RESERVATION LBA (the
    /// first block after the track), bytes 6-8 reserved). RMZ (HD DVD-R) is not supported, and
    /// overwritable media have no tracks to reserve: both 5/24/00. DVD-R/-RW disc-at-once (write
    /// type 02h in page 05h) allows one reservation: a second is 5/72/05. The rest is
    /// <see cref="SimulatedDisc.ReserveTrack"/>.
    /// </summary>
    private ScsiResult ReserveTrack(ReadOnlySpan<byte> cdb)
    {
        bool byAddress = (cdb[1] & 0x01) != 0;
        if ((cdb[1] & 0xFE) != 0 || (byAddress ? Cdb.AnySet(cdb, 6, 8) : Cdb.AnySet(cdb, 2, 4)))
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
            if (medium.IsOverwritable)
            {
                return SenseCode.InvalidFieldInCdb.ToResult();
            }

            if (_modePages.IsDiscAtOnce(medium) && medium.ReservedTracksInOpenSession > 0)
            {
                return SenseCode.NoMoreTrackReservations.ToResult();
            }

            long start = medium.WritableTrack?.StartAddress ?? 0;
            long blocks = byAddress ? Cdb.UInt32(cdb, 2) - start : Cdb.UInt32(cdb, 5);
            return medium.ReserveTrack(blocks) is { } error ? error.ToResult() : ScsiResult.Good();
        }
    }

    /// <summary>
    /// SEND OPC INFORMATION (MMC-6; CDB: byte 1: reserved (7-1), DoOpc (0); bytes 2-6 reserved;
    /// bytes 7-8 PARAMETER LIST LENGTH, a multiple of the 8-byte OPC table entry). DoOpc: the drive
    /// calibrates its laser power on the medium now, which holds the command for
    /// <see cref="SimulatedDriveOptions.OpcDuration"/>; a list is accepted and not used. A list
    /// length that is not the data phase is 5/24/00, one that is not a multiple of 8 is 5/1A/00.
    /// </summary>
    private async ValueTask<ScsiResult> SendOpcInformationAsync(ReadOnlyMemory<byte> cdbMemory, Memory<byte> list, CancellationToken cancellationToken)
    {
        var cdb = cdbMemory.Span;
        int length = Cdb.UInt16(cdb, 7);
        if ((cdb[1] & 0xFE) != 0 || Cdb.AnySet(cdb, 2, 6) || length != list.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        if (length % 8 != 0)
        {
            return SenseCode.ParameterListLengthError.ToResult();
        }

        SimulatedDisc target;
        lock (_sync)
        {
            if (NotReady() is { } notReady)
            {
                return notReady;
            }

            target = _disc!;
        }

        var calibration = (cdb[1] & 0x01) != 0 ? _longOperations.OnClock(_options.OpcDuration) : TimeSpan.Zero;
        if (calibration > TimeSpan.Zero)
        {
            await Task.Delay(calibration, _clock, cancellationToken).ConfigureAwait(false);
        }

        lock (_sync)
        {
            return ReferenceEquals(_disc, target) ? ScsiResult.Good() : SenseCode.MediumNotPresent.ToResult();
        }
    }
}
