using Farm.Device.Audio;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>WRITE(10) and WRITE(12).</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>
    /// WRITE(10) (SBC-3 / MMC-6; CDB: byte 1: WRPROTECT (7-5) = 0, DPO (4), FUA (3), reserved
    /// (2), FUA_NV (1), obsolete (0) = 0; bytes 2-5 LBA; byte 6 bits 4-0 group number, bits 7-5
    /// reserved; bytes 7-8 TRANSFER LENGTH) and WRITE(12) (MMC-6; bytes 6-9 TRANSFER LENGTH;
    /// byte 10: Streaming (7), reserved (6-5), group number (4-0)).
    /// <list type="bullet">
    /// <item>Session-at-once CD-DA below LBA -150 is the lead-in's CD-TEXT: 96 bytes a block, checked
    /// by <see cref="SimulatedDisc.CheckLeadInWrite"/>.</item>
    /// <item>The data phase must carry exactly TRANSFER LENGTH x 2048 bytes (2352 for CD-DA), else 5/24/00 (a real
    /// adapter would report an overrun/underrun of the data phase; the farm wants it loud).</item>
    /// <item>Sequential media: the LBA must be the invisible track's next writable address
    /// (5/21/02 otherwise, and on a finalised disc); running past the end of the track is 5/63/00.
    /// Overwritable media: anywhere below the capacity (5/21/00 otherwise).</item>
    /// <item>A disc ruined by a loss of streaming gets 3/0C/09 once, then 3/0C/00.</item>
    /// <item>The write parameters page must fit the medium (see <see cref="ModePages.CheckWriteMode"/>); an
    /// unformatted DVD+RW / BD-RE is 5/30/10 MEDIUM NOT FORMATTED.</item>
    /// <item>Data that does not fit in the free buffer waits on the clock until it does.</item>
    /// <item>FUA waits until the buffer has reached the medium.</item>
    /// </list>
    /// </summary>
    private async ValueTask<ScsiResult> WriteAsync(ReadOnlyMemory<byte> cdbMemory, Memory<byte> data, CancellationToken cancellationToken)
    {
        var (lba, blocks, forceUnitAccess, badField) = DecodeWrite(cdbMemory.Span);
        bool audio;
        bool sessionAtOnce;
        lock (_sync)
        {
            // Page 05h data block type 0 on a CD: 2352-byte CD-DA blocks, LBAs signed (the pre-gap is negative).
            audio = _modePages.WritesAudioBlocks(_disc);
            sessionAtOnce = _modePages.WriteParameters.WriteType == WriteType.SessionAtOnce;
        }

        lba = audio ? (int)(uint)lba : lba;

        // Session-at-once below the pre-gap is the lead-in: 96 bytes of R-W sub-channel a block (CD-TEXT, cue data form 41h).
        bool leadIn = audio && sessionAtOnce && lba < -CdAddress.PregapBlocks;
        int blockBytes = leadIn ? CdTextLeadIn.BlockBytes : audio ? CdAddress.BlockBytes : IMediaStore.BlockSize;
        if (badField || blocks * blockBytes != data.Length)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        SimulatedDisc target;
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

            if (_buffer.TakeLossOfStreaming() is { } lost)
            {
                return lost;
            }

            if ((_modePages.CheckWriteMode(_disc!, lba) ?? Check(_disc!)) is { } error)
            {
                return error.ToResult();
            }

            target = _disc!;
        }

        TimeSpan flushWait;
        while (true)
        {
            TimeSpan wait;
            lock (_sync)
            {
                if (!ReferenceEquals(_disc, target))
                {
                    return SenseCode.MediumNotPresent.ToResult();
                }

                _buffer.Update();
                if (_buffer.TakeLossOfStreaming() is { } lost)
                {
                    return lost;
                }

                wait = _buffer.TimeUntilFits(data.Length);
                if (wait == TimeSpan.Zero)
                {
                    if (Check(target) is { } error)
                    {
                        return error.ToResult();
                    }

                    if (leadIn)
                    {
                        target.WriteLeadIn(lba, data.Span);
                    }
                    else if (audio)
                    {
                        target.WriteAudio(lba, data.Span, sessionAtOnce);
                    }
                    else
                    {
                        target.Write(lba, data.Span);
                    }

                    _buffer.Accept(lba + blocks, data.Length);
                    if (!forceUnitAccess)
                    {
                        return ScsiResult.Good();
                    }

                    flushWait = _buffer.StartFlush();
                    break;
                }
            }

            // Timers count whole milliseconds: a 0.9 ms wait would become Delay(0) and spin a
            // core (32 drives at 72 MB/s each wait about that long per 64 KiB). Round up instead.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _clock, cancellationToken).ConfigureAwait(false);
        }

        return await FinishFlushAsync(target, flushWait, cancellationToken).ConfigureAwait(false);

        SenseCode? Check(SimulatedDisc medium) => leadIn ? medium.CheckLeadInWrite(lba, data.Span)
            : audio ? medium.CheckAudioWrite(lba, blocks, sessionAtOnce)
            : medium.CheckWrite(lba, blocks);
    }

    private static (long Lba, long Blocks, bool ForceUnitAccess, bool BadField) DecodeWrite(ReadOnlySpan<byte> cdb)
    {
        bool twelve = cdb[0] == OperationCodes.Write12;
        bool reservedSet = (cdb[1] & 0xE5) != 0 || (twelve ? (cdb[10] & 0x60) != 0 : (cdb[6] & 0xE0) != 0);
        long blocks = twelve ? Cdb.UInt32(cdb, 6) : Cdb.UInt16(cdb, 7);
        return (Cdb.UInt32(cdb, 2), blocks, (cdb[1] & 0x08) != 0, reservedSet);
    }
}
