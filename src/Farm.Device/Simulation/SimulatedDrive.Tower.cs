using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>The tower's hands on the drive (not SCSI), and what injected faults do.</summary>
public sealed partial class SimulatedDrive
{
    /// <summary>The disc loaded in the drive (tray closed), or null.</summary>
    public SimulatedDisc? CurrentDisc
    {
        get
        {
            lock (_sync)
            {
                return _disc;
            }
        }
    }

    /// <summary>The disc left in the open tray by a START STOP UNIT eject, waiting for the tower's arm.</summary>
    public SimulatedDisc? DiscInTray
    {
        get
        {
            lock (_sync)
            {
                return _trayDisc;
            }
        }
    }

    /// <summary>True while PREVENT ALLOW MEDIUM REMOVAL holds the tray locked.</summary>
    public bool IsMediumRemovalPrevented
    {
        get
        {
            lock (_sync)
            {
                return _removalPrevented;
            }
        }
    }

    /// <summary>
    /// The arm puts <paramref name="medium"/> in the tray and the tray closes. Like a real drive,
    /// the next command (other than INQUIRY, REQUEST SENSE, GET CONFIGURATION) gets 6/28/00 once.
    /// </summary>
    /// <exception cref="InvalidOperationException">The drive already holds a disc.</exception>
    public void Insert(SimulatedDisc medium)
    {
        ArgumentNullException.ThrowIfNull(medium);
        lock (_sync)
        {
            if ((_disc ?? _trayDisc) is { } present)
            {
                throw new InvalidOperationException($"{Name} already holds disc {present.Id}");
            }

            _disc = medium;
            _buffer.Reset();
            QueueMediaEvent(MediaEventCode.NewMedia);
            if (_unitAttention != SenseCode.PowerOnOrReset)
            {
                _unitAttention = SenseCode.MediumMayHaveChanged;
            }
        }
    }

    /// <summary>
    /// The tray opens and the arm takes the disc: the one a START STOP UNIT eject left in the
    /// tray, or the loaded one (as the eject button would). Null when the drive is empty.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// Medium removal is prevented, or a flush/close is still running (drives keep the tray shut).
    /// </exception>
    public SimulatedDisc? Eject()
    {
        lock (_sync)
        {
            if (_trayDisc is { } waiting)
            {
                _trayDisc = null;
                return waiting;
            }

            if (_disc is not { } loaded)
            {
                return null;
            }

            _buffer.Update();
            CompleteLongOperationIfDue();
            if (_removalPrevented)
            {
                throw new InvalidOperationException($"{Name}: medium removal is prevented; disc {loaded.Id} stays in");
            }

            if (_longOperations.Current is { } operation)
            {
                throw new InvalidOperationException($"{Name}: busy with {operation.What}; disc {loaded.Id} stays in");
            }

            _disc = null;
            _buffer.Reset();
            QueueMediaEvent(MediaEventCode.MediaRemoval);
            CompleteBackgroundFormatIfDue();
            return loaded;
        }
    }

    /// <summary>How far the disc is recorded, for <see cref="FaultTrigger.RecordedUpTo"/>.</summary>
    private long RecordedUpTo()
    {
        lock (_sync)
        {
            return _disc?.NextWritableAddress ?? (_disc?.LastRecordedAddress + 1) ?? 0;
        }
    }

    /// <summary>Blocks still in the buffer never reach the disc; a running long operation is cut off (call under the lock).</summary>
    private void LoseBuffer()
    {
        long lostBlocks = _buffer.Lose();
        _disc?.LoseBufferedBlocks(lostBlocks);
        _longOperations.CutOff();
    }

    /// <summary>Plays an injected fault in place of the command.</summary>
    private ScsiResult ApplyFault(Fault fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.Timeout:
                throw new ScsiTransportException(TransportFailure.Timeout, $"{Name}: injected fault: the command timed out");
            case FaultKind.DeviceGone:
                throw new ScsiTransportException(TransportFailure.DeviceGone, $"{Name}: injected fault: the device is gone");
            case FaultKind.MediumRemoved:
                lock (_sync)
                {
                    _disc = null;
                    _longOperations.CutOff();
                    _buffer.Reset();
                    QueueMediaEvent(MediaEventCode.MediaRemoval);
                    CompleteBackgroundFormatIfDue();
                }

                return SenseCode.MediumNotPresent.ToResult();
            case FaultKind.PowerLoss:
                lock (_sync)
                {
                    LoseBuffer();

                    // SPC-4: after power on, mode pages return to their defaults; speeds too.
                    _removalPrevented = false;
                    _unitAttention = null;
                    _modePages.PowerOn();
                    _speeds.PowerOn();
                    if (_backgroundFormat is { } formatting)
                    {
                        _backgroundFormat = null;
                        formatting.Target.SetBackgroundFormat(FormatState.BackgroundFormatStopped);
                    }
                }

                return SenseCode.PowerOnOrReset.ToResult();
            case FaultKind.MediumChanged:
                lock (_sync)
                {
                    LoseBuffer();
                }

                return SenseCode.MediumMayHaveChanged.ToResult();
            default:
                return fault.Sense.ToResult(fault.Progress);
        }
    }
}
