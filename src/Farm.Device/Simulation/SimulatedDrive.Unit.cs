using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>TEST UNIT READY, REQUEST SENSE, START STOP UNIT, PREVENT ALLOW MEDIUM REMOVAL.</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>
    /// TEST UNIT READY (SPC-4; CDB: byte 0 = 00h, bytes 1-4 reserved, byte 5 CONTROL):
    /// GOOD; 2/04/08 with progress while a flush/close runs; 2/3A/00 without a medium.
    /// </summary>
    private ScsiResult TestUnitReady(ReadOnlySpan<byte> cdb)
    {
        if (Cdb.AnySet(cdb, 1, 4))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            return NotReady() ?? ScsiResult.Good();
        }
    }

    /// <summary>
    /// REQUEST SENSE (SPC-4; CDB: byte 1 bit 0 DESC, bytes 2-3 reserved, byte 4 ALLOCATION
    /// LENGTH). Fixed format only, so DESC = 1 is an invalid field. Reports, in order: a pending
    /// unit attention (and clears it), NO SENSE 04/08 with progress during a long operation
    /// (SPC-4: REQUEST SENSE itself succeeds and carries the progress), 2/3A/00 without a
    /// medium, else NO SENSE. The sense of a CHECK CONDITION is returned with that status
    /// (autosense) and is not kept for a later REQUEST SENSE.
    /// </summary>
    private ScsiResult RequestSense(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if ((cdb[1] & 0xFE) != 0 || Cdb.AnySet(cdb, 2, 3))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        if ((cdb[1] & 0x01) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        byte[] sense;
        lock (_sync)
        {
            if (_unitAttention is { } attention)
            {
                _unitAttention = null;
                sense = attention.ToSense();
            }
            else if (_longOperations.Current is { } operation)
            {
                // SPC-4 REQUEST SENSE: the command itself succeeds and carries the progress; a
                // long write reports NO SENSE 04/08, a format or blank keeps its NOT READY key.
                var pending = operation.Sense == SenseCode.LongWriteInProgress ? SenseCode.LongWriteInProgressNoSense : operation.Sense;
                sense = pending.ToSense(_longOperations.Progress(operation));
            }
            else
            {
                sense = (_disc is null ? SenseCode.MediumNotPresent : SenseCode.NoSense).ToSense();
            }
        }

        return Respond(sense, cdb[4], data);
    }

    /// <summary>
    /// START STOP UNIT (SBC-3 / MMC-6; CDB: byte 1 bit 0 IMMED; byte 3 bits 3-0 POWER CONDITION
    /// MODIFIER; byte 4: POWER CONDITION (7-4), FL (2, MMC format layer), LOEJ (1), START (0)).
    /// A non-zero power condition changes nothing here. LoEj with Start = 0 opens the tray: the
    /// disc leaves the drive (5/53/02 when removal is prevented) and waits in the tray for the
    /// tower's <see cref="Eject"/>. LoEj with Start = 1 closes the tray (a disc left in it is
    /// loaded again, with 6/28/00). Start = 1 alone spins up (2/3A/00 without a disc).
    /// </summary>
    private ScsiResult StartStopUnit(ReadOnlySpan<byte> cdb)
    {
        if ((cdb[1] & 0xFE) != 0 || cdb[2] != 0 || (cdb[3] & 0xF0) != 0 || (cdb[4] & 0x08) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        bool loadEject = (cdb[4] & 0x02) != 0;
        bool start = (cdb[4] & 0x01) != 0;
        lock (_sync)
        {
            if (NotReady(needsMedium: false) is { } busy)
            {
                return busy;
            }

            if ((cdb[4] >> 4) != 0)
            {
                return ScsiResult.Good();
            }

            switch (loadEject, start)
            {
                case (true, false):
                    if (_removalPrevented)
                    {
                        return SenseCode.MediumRemovalPrevented.ToResult();
                    }

                    if (_disc is not null)
                    {
                        _trayDisc = _disc;
                        _disc = null;
                        _buffer.Reset();
                        QueueMediaEvent(Mmc.MediaEventCode.MediaRemoval);
                        CompleteBackgroundFormatIfDue();
                    }

                    return ScsiResult.Good();
                case (true, true):
                    if (_trayDisc is not null)
                    {
                        _disc = _trayDisc;
                        _trayDisc = null;
                        _unitAttention = SenseCode.MediumMayHaveChanged;
                        QueueMediaEvent(Mmc.MediaEventCode.NewMedia);
                    }

                    return ScsiResult.Good();
                case (false, true):
                    return _disc is null ? SenseCode.MediumNotPresent.ToResult() : ScsiResult.Good();
                default:
                    return ScsiResult.Good();
            }
        }
    }

    /// <summary>
    /// PREVENT ALLOW MEDIUM REMOVAL (SPC-4 / MMC-6; CDB: bytes 1-3 reserved, byte 4: Persistent
    /// (1), Prevent (0), bits 7-2 reserved). Prevent = 1 locks the tray until allowed again or a
    /// power loss; persistent prevention is treated as plain prevention.
    /// </summary>
    private ScsiResult PreventAllowMediumRemoval(ReadOnlySpan<byte> cdb)
    {
        if (Cdb.AnySet(cdb, 1, 3) || (cdb[4] & 0xFC) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        lock (_sync)
        {
            _removalPrevented = (cdb[4] & 0x01) != 0;
        }

        return ScsiResult.Good();
    }
}

/// <summary>Small helpers to read CDB fields (all multi-byte fields are big-endian, SPC-4).</summary>
internal static class Cdb
{
    /// <summary>True when any byte from <paramref name="first"/> to <paramref name="last"/> (inclusive) is non-zero.</summary>
    public static bool AnySet(ReadOnlySpan<byte> cdb, int first, int last) => cdb[first..(last + 1)].ContainsAnyExcept((byte)0);

    public static ushort UInt16(ReadOnlySpan<byte> cdb, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(cdb[offset..]);

    public static uint UInt32(ReadOnlySpan<byte> cdb, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(cdb[offset..]);
}
