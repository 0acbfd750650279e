using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>SYNCHRONIZE CACHE and CLOSE TRACK/SESSION.</summary>
public sealed partial class SimulatedDrive
{
    private enum CloseAction
    {
        Nothing = 0,
        Track = 1,
        Session = 2,
        Finalize = 3,
        StopBackgroundFormat = 4,
        CompleteBackgroundFormat = 5,
    }

    /// <summary>
    /// SYNCHRONIZE CACHE(10) (SBC-3 / MMC-6; CDB: byte 1: reserved (7-3), SYNC_NV (2), IMMED (1),
    /// obsolete (0) = 0; bytes 2-5 LBA and bytes 7-8 NUMBER OF BLOCKS, which an MMC drive
    /// ignores; byte 6 group number). The buffer is recorded to the medium; that takes its fill
    /// divided by the write speed. With IMMED the command returns at once and TEST UNIT READY
    /// answers 2/04/08 with progress until the flush is over.
    /// </summary>
    private async ValueTask<ScsiResult> SynchronizeCacheAsync(ReadOnlyMemory<byte> cdbMemory, CancellationToken cancellationToken)
    {
        var cdb = cdbMemory.Span;
        if ((cdb[1] & 0xF9) != 0 || (cdb[6] & 0xE0) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        bool immediate = (cdb[1] & 0x02) != 0;
        SimulatedDisc target;
        TimeSpan wait;
        lock (_sync)
        {
            if ((NotReady() ?? _buffer.TakeLossOfStreaming()) is { } refused)
            {
                return refused;
            }

            target = _disc!;
            wait = _buffer.StartFlush();
            if (wait == TimeSpan.Zero)
            {
                target.Flush();
                return ScsiResult.Good();
            }

            if (immediate)
            {
                _longOperations.Start("synchronize cache", DrivePhase.Flushing, SenseCode.LongWriteInProgress, wait, () => EndFlush(target));
                return ScsiResult.Good();
            }
        }

        return await FinishFlushAsync(target, wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for a flush started by SYNCHRONIZE CACHE or FUA, then makes it durable.</summary>
    private async ValueTask<ScsiResult> FinishFlushAsync(SimulatedDisc target, TimeSpan wait, CancellationToken cancellationToken)
    {
        await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            if (!ReferenceEquals(_disc, target))
            {
                return SenseCode.MediumNotPresent.ToResult();
            }

            _buffer.Update();
            EndFlush(target);
            return ScsiResult.Good();
        }
    }

    private void EndFlush(SimulatedDisc target)
    {
        _buffer.Flushed();
        target.Flush();
    }

    /// <summary>
    /// CLOSE TRACK/SESSION (MMC-6; CDB: byte 1 bit 0 IMMED, bits 7-1 reserved; byte 2 bits 2-0
    /// CLOSE FUNCTION, bits 7-3 reserved; byte 3 reserved; bytes 4-5 LOGICAL TRACK NUMBER (for
    /// close track); bytes 6-8 reserved). Close functions per profile (MMC-6 tables "Close
    /// Function" per medium), see <see cref="PlanClose"/>; a function a medium does not define is
    /// 5/24/00. The farm is stricter than drives, which flush silently: closing while WRITE data
    /// has not been flushed by SYNCHRONIZE CACHE is 5/2C/00 COMMAND SEQUENCE ERROR. The disc
    /// state changes when the close starts; the drive then stays busy (2/04/08 with progress) for
    /// the close's simulated duration, returning at once with IMMED or after it without.
    /// </summary>
    private async ValueTask<ScsiResult> CloseTrackSessionAsync(ReadOnlyMemory<byte> cdbMemory, CancellationToken cancellationToken)
    {
        var cdb = cdbMemory.Span;
        if ((cdb[1] & 0xFE) != 0 || (cdb[2] & 0xF8) != 0 || cdb[3] != 0 || Cdb.AnySet(cdb, 6, 8))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        bool immediate = (cdb[1] & 0x01) != 0;
        int function = cdb[2] & 0x07;
        int trackNumber = Cdb.UInt16(cdb, 4);
        LongOperation operation;
        lock (_sync)
        {
            if ((NotReady() ?? _buffer.TakeLossOfStreaming()) is { } refused)
            {
                return refused;
            }

            if (_buffer.HasUnflushedWrites)
            {
                return SenseCode.CommandSequenceError.ToResult();
            }

            var medium = _disc!;
            bool nextSessionAllowed = _modePages.WriteParameters.MultiSession == 0b11;
            if (PlanClose(medium, function, nextSessionAllowed) is not { } action)
            {
                return SenseCode.InvalidFieldInCdb.ToResult();
            }

            bool trackAtOnceCd = medium.Profile.Family == Mmc.MediaFamily.Cd && _modePages.WriteParameters.WriteType == Mmc.WriteType.TrackAtOnce;
            SenseCode? error = action switch
            {
                CloseAction.Track => medium.CloseTrack(trackNumber, trackAtOnceCd ? MediaLayout.CdRunOutBlocks : 0),
                CloseAction.Session => medium.CloseSession(finalize: false),
                CloseAction.Finalize => medium.CloseSession(finalize: true),
                CloseAction.StopBackgroundFormat => StopBackgroundFormat(medium),
                CloseAction.CompleteBackgroundFormat => CompleteBackgroundFormatNow(medium),
                _ => null,
            };
            if (error is { } failed)
            {
                return failed.ToResult();
            }

            TimeSpan duration = _longOperations.OnClock(action switch
            {
                CloseAction.Track or CloseAction.StopBackgroundFormat => _options.CloseTrackDuration,
                CloseAction.Session or CloseAction.CompleteBackgroundFormat => _options.CloseSessionDuration,
                CloseAction.Finalize => _options.FinalizeDuration,
                _ => TimeSpan.Zero,
            });
            if (duration <= TimeSpan.Zero)
            {
                return ScsiResult.Good();
            }

            operation = _longOperations.Start($"close ({action})", DrivePhase.Closing, SenseCode.LongWriteInProgress, duration, null);
            if (immediate)
            {
                return ScsiResult.Good();
            }
        }

        await Task.Delay(operation.Duration, _clock, cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            _longOperations.End(operation, runComplete: false);
        }

        return ScsiResult.Good();
    }

    /// <summary>
    /// What a close function does on a medium (MMC-6 CLOSE TRACK/SESSION, the close function
    /// tables per medium); null when the medium does not define it.
    /// <list type="bullet">
    /// <item>DVD+R: 001b close track, 010b close session (disc stays appendable), 101b finalise
    /// (30 mm radius) and 110b finalise. DVD+R DL: the same, and 100b close session with an
    /// extended lead-out (simulated as a plain session close). BD-R: 001b, 010b, 110b finalise.</item>
    /// <item>CD-R/RW, DVD-R, DVD-R DL, DVD-RW sequential: 001b close track; 010b close session,
    /// which finalises unless the write parameters page's Multi-session field is 11b (next
    /// session allowed). DVD-RW sequential: 011b finalises.</item>
    /// <item>DVD+RW: 000b stops a background format ("de-icing"; FORMAT UNIT with Restart resumes
    /// it); 010b and 011b complete the format (the drive writes what is left of the lead-out).
    /// Other overwritable media: 000b, 010b and 011b are accepted and do nothing.</item>
    /// </list>
    /// </summary>
    private static CloseAction? PlanClose(SimulatedDisc medium, int function, bool nextSessionAllowed)
    {
        var profile = medium.Profile.Profile;
        if (medium.IsOverwritable)
        {
            bool formatting = medium.Formatting is FormatState.BackgroundFormatInProgress or FormatState.BackgroundFormatStopped;
            return (function, formatting) switch
            {
                (0b000, true) => CloseAction.StopBackgroundFormat,
                (0b010 or 0b011, true) => CloseAction.CompleteBackgroundFormat,
                (0b000 or 0b010 or 0b011, _) => CloseAction.Nothing,
                _ => null,
            };
        }

        var sessionClose = nextSessionAllowed ? CloseAction.Session : CloseAction.Finalize;
        return (profile, function) switch
        {
            (_, 0b001) => CloseAction.Track,
            (Profile.DvdPlusR or Profile.DvdPlusRDualLayer or Profile.BdRSequential, 0b010) => CloseAction.Session,
            (Profile.DvdPlusRDualLayer, 0b100) => CloseAction.Session,
            (Profile.DvdPlusR or Profile.DvdPlusRDualLayer, 0b101) => CloseAction.Finalize,
            (Profile.DvdPlusR or Profile.DvdPlusRDualLayer or Profile.BdRSequential, 0b110) => CloseAction.Finalize,
            (Profile.CdR or Profile.CdRw or Profile.DvdRSequential or Profile.DvdRDualLayerSequential or Profile.DvdRwSequential, 0b010) =>
                sessionClose,
            (Profile.DvdRwSequential, 0b011) => CloseAction.Finalize,
            _ => null,
        };
    }
}
