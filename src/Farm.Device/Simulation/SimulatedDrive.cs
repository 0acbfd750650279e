using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// A simulated MMC writer behind <see cref="IScsiTransport"/>: it decodes raw CDBs exactly as
/// SPC-4, SBC-3 and MMC-6 lay them out and answers like a real drive, including the CHECK
/// CONDITION a drive gives to a wrong CDB or a command out of sequence. Its write buffer drains at
/// the medium's speed times <see cref="SimulatedDriveOptions.TimeScale"/> on the injected clock,
/// so a WRITE that does not fit waits as a real drive holds the command.
/// <para>
/// One command runs at a time (callers queue). The tower side (<see cref="Insert"/>,
/// <see cref="Eject"/>) and <see cref="Faults"/> may be used from other threads.
/// </para>
/// The split by concern (README.md beside this file): this file dispatches; <see cref="ModePages"/>
/// holds MODE SENSE/SELECT and what page 05h allows, <see cref="WriteSpeedSelection"/> the write
/// speed (GET PERFORMANCE, SET CD SPEED, SET STREAMING), <see cref="DriveBuffer"/> the buffer and
/// its pacing (READ BUFFER CAPACITY), <see cref="LongOperations"/> the flush, close, format or blank
/// running; the partial files hold the medium and session commands:
/// <c>.Unit</c>, <c>.Identify</c>, <c>.Reading</c>, <c>.Writing</c>, <c>.Closing</c>,
/// <c>.Format</c>, <c>.Preparing</c>, <c>.Events</c>, <c>.Audio</c>, <c>.Tower</c>.
/// </summary>
public sealed partial class SimulatedDrive : IScsiTransport, IDriveCore
{
    private readonly SimulatedDriveOptions _options;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _commandGate = new(1, 1);

    // Cancelled by DisposeAsync: a command still pacing its transfer stops, so nothing is written
    // to the disc's file once the drive's owner has let it go.
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _sync = new();

    private SimulatedDisc? _disc;
    private SimulatedDisc? _trayDisc;
    private SenseCode? _unitAttention;
    private bool _removalPrevented;
    private long _commandsExecuted;
    private bool _disposed;

    // The drive's parts; each keeps its own state under the drive's lock (IDriveCore).
    private readonly WriteSpeedSelection _speeds;
    private readonly ModePages _modePages;
    private readonly DriveBuffer _buffer;
    private readonly LongOperations _longOperations;

    public SimulatedDrive(SimulatedDriveOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new SimulatedDriveOptions();
        _options.Validate();
        _clock = timeProvider ?? TimeProvider.System;
        _speeds = new WriteSpeedSelection(this, _options);
        _modePages = new ModePages(this, _options, _speeds);
        _buffer = new DriveBuffer(this, _options, _clock, _speeds, _modePages);
        _longOperations = new LongOperations(_options, _clock);
    }

    public string Name => _options.Name;

    public int MaxTransferBytes => _options.MaxTransferBytes;

    public SimulatedDriveOptions Options => _options;

    /// <summary>Scriptable faults; see <see cref="SimulatedDriveFaults"/>.</summary>
    public SimulatedDriveFaults Faults { get; } = new();

    /// <summary>Commands received (including those a fault or an error answered).</summary>
    public long CommandsExecuted => Interlocked.Read(ref _commandsExecuted);

    /// <summary>Times the buffer ran dry while the host was streaming (harmless with buffer-underrun-free recording).</summary>
    public long Underruns => _buffer.Underruns;

    /// <summary>Bytes accepted by WRITE commands.</summary>
    public long BytesWritten => _buffer.BytesWritten;

    /// <summary>Bytes in the drive buffer now.</summary>
    public long BufferedBytes => _buffer.BufferedBytes;

    /// <summary>BUFE in the write parameters page now (power-on value: <see cref="SimulatedDriveOptions.BufferUnderrunFree"/>).</summary>
    public bool BufferUnderrunFree
    {
        get
        {
            lock (_sync)
            {
                return _modePages.WriteParameters.BufferUnderrunFree;
            }
        }
    }

    Lock IDriveCore.Sync => _sync;

    SimulatedDisc? IDriveCore.Disc => _disc;

    bool IDriveCore.RemovalPrevented => _removalPrevented;

    ScsiResult? IDriveCore.NotReady(bool needsMedium) => NotReady(needsMedium);

    /// <summary>True while a SYNCHRONIZE CACHE (Immed), CLOSE TRACK/SESSION, FORMAT UNIT or BLANK is still running.</summary>
    public bool IsBusy
    {
        get
        {
            lock (_sync)
            {
                CompleteLongOperationIfDue();
                return _longOperations.Current is not null;
            }
        }
    }

    public async ValueTask<ScsiResult> ExecuteAsync(
        ReadOnlyMemory<byte> cdb,
        DataDirection direction,
        Memory<byte> data,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cdb.Length is 0 or > 16)
        {
            throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: a CDB of {cdb.Length} bytes cannot be sent");
        }

        if (data.Length > _options.MaxTransferBytes)
        {
            throw new ScsiTransportException(
                TransportFailure.HostError,
                $"{Name}: a data phase of {data.Length} bytes exceeds the adapter's maximum transfer of {_options.MaxTransferBytes}");
        }

        byte operationCode = cdb.Span[0];
        using var timeoutSource = timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(timeout, _clock)
            : null;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource?.Token ?? CancellationToken.None, _stopping.Token);
        var token = linked.Token;
        try
        {
            await _commandGate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                Interlocked.Increment(ref _commandsExecuted);
                return await ExecuteOneAsync(cdb, direction, data, token).ConfigureAwait(false);
            }
            finally
            {
                _commandGate.Release();
            }
        }
        catch (OperationCanceledException) when (timeoutSource?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw new ScsiTransportException(
                TransportFailure.Timeout, $"{Name}: command {operationCode:X2}h did not complete within {timeout}");
        }
    }

    /// <summary>
    /// Refuses further commands, cancels the one running and returns once it has ended, so the
    /// disc's file is no longer touched (its folder may be deleted next).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        // Taken for good: the gate is never released again, and later commands stop at `disposed`.
        await _commandGate.WaitAsync().ConfigureAwait(false);
    }

    private async ValueTask<ScsiResult> ExecuteOneAsync(
        ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, CancellationToken cancellationToken)
    {
        byte operationCode = cdb.Span[0];
        if (Faults.Match(operationCode, RecordedUpTo(), PhaseOf(operationCode)) is { } fault)
        {
            if (fault.Kind == FaultKind.Hang)
            {
                // Never answers: the caller's timeout (on this drive's clock) ends the wait.
                await Task.Delay(Timeout.InfiniteTimeSpan, _clock, cancellationToken).ConfigureAwait(false);
            }

            if (fault.Kind == FaultKind.Sense && fault.Sense.Key is Sense.SenseKey.NoSense or Sense.SenseKey.RecoveredError)
            {
                // Informational sense rides on a command that completed (SPC-4 4.5.6): the write
                // or read happens, then the drive reports what it recovered from.
                var completed = await ExecuteUnfaultedAsync(cdb, direction, data, cancellationToken).ConfigureAwait(false);
                return completed.IsGood ? ApplyFault(fault) with { Residual = completed.Residual } : completed;
            }

            return ApplyFault(fault);
        }

        return await ExecuteUnfaultedAsync(cdb, direction, data, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ScsiResult> ExecuteUnfaultedAsync(
        ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, CancellationToken cancellationToken)
    {
        byte operationCode = cdb.Span[0];
        lock (_sync)
        {
            _buffer.Update();
            CompleteLongOperationIfDue();

            // SPC-4 / SAM-5: a pending unit attention answers any command but INQUIRY and
            // REQUEST SENSE; MMC-6 lets GET EVENT STATUS NOTIFICATION pass it by too. The
            // simulator also lets GET CONFIGURATION through (a choice that matches common drives:
            // the host learns the new medium's profile first).
            if (_unitAttention is { } attention && operationCode is not (OperationCodes.Inquiry or OperationCodes.RequestSense
                or OperationCodes.GetConfiguration or OperationCodes.GetEventStatusNotification))
            {
                _unitAttention = null;
                return attention.ToResult();
            }
        }

        if (OperationCodes.Describe(operationCode) is not { } shape)
        {
            return SenseCode.InvalidCommandOperationCode.ToResult();
        }

        if (data.Length > 0 && direction != shape.Direction)
        {
            throw new ScsiTransportException(
                TransportFailure.HostError,
                $"{Name}: command {operationCode:X2}h moves data {shape.Direction}, not {direction}");
        }

        // Wrong CDB length for the opcode's group, or NACA / obsolete flag / link bits in CONTROL (SAM-5).
        if (cdb.Length != shape.CdbLength || (cdb.Span[^1] & 0x07) != 0)
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        var span = cdb.Span;
        return operationCode switch
        {
            OperationCodes.ModeSense10 => _modePages.ModeSense(span, data.Span),
            OperationCodes.ModeSelect10 => _modePages.ModeSelect(span, data.Span),
            OperationCodes.GetPerformance => _speeds.GetPerformance(span, data.Span),
            OperationCodes.SetCdSpeed => _speeds.SetCdSpeed(span),
            OperationCodes.SetStreaming => _speeds.SetStreaming(span, data.Span),
            OperationCodes.ReserveTrack => ReserveTrack(span),
            OperationCodes.SendOpcInformation => await SendOpcInformationAsync(cdb, data, cancellationToken).ConfigureAwait(false),
            OperationCodes.Blank => await BlankAsync(cdb, cancellationToken).ConfigureAwait(false),
            OperationCodes.FormatUnit => await FormatUnitAsync(cdb, data, cancellationToken).ConfigureAwait(false),
            OperationCodes.ReadFormatCapacities => ReadFormatCapacities(span, data.Span),
            OperationCodes.GetEventStatusNotification => GetEventStatusNotification(span, data.Span),
            OperationCodes.TestUnitReady => TestUnitReady(span),
            OperationCodes.RequestSense => RequestSense(span, data.Span),
            OperationCodes.Inquiry => Inquiry(span, data.Span),
            OperationCodes.StartStopUnit => StartStopUnit(span),
            OperationCodes.PreventAllowMediumRemoval => PreventAllowMediumRemoval(span),
            OperationCodes.ReadCapacity => ReadCapacity(span, data.Span),
            OperationCodes.Read10 or OperationCodes.Read12 => Read(span, data.Span),
            OperationCodes.Write10 or OperationCodes.Write12 => await WriteAsync(cdb, data, cancellationToken).ConfigureAwait(false),
            OperationCodes.SynchronizeCache => await SynchronizeCacheAsync(cdb, cancellationToken).ConfigureAwait(false),
            OperationCodes.GetConfiguration => GetConfiguration(span, data.Span),
            OperationCodes.ReadDiscInformation => ReadDiscInformation(span, data.Span),
            OperationCodes.ReadTrackInformation => ReadTrackInformation(span, data.Span),
            OperationCodes.CloseTrackSession => await CloseTrackSessionAsync(cdb, cancellationToken).ConfigureAwait(false),
            OperationCodes.ReadBufferCapacity => _buffer.ReadBufferCapacity(span, data.Span),
            OperationCodes.SendCueSheet => SendCueSheet(span, data.Span),
            OperationCodes.ReadTocPmaAtip => ReadToc(span, data.Span),
            OperationCodes.ReadCd => ReadCd(span, data.Span),
            _ => SenseCode.InvalidCommandOperationCode.ToResult(),
        };
    }

    /// <summary>
    /// For commands that need a ready medium (call under the lock): while a long operation runs,
    /// its NOT READY sense with progress (2/04/08 flush or close, 2/04/04 format, 2/04/07 blank);
    /// 2/3A/00 without a disc; else null.
    /// </summary>
    private ScsiResult? NotReady(bool needsMedium = true)
    {
        if (_longOperations.Current is { } operation)
        {
            return operation.Sense.ToResult(_longOperations.Progress(operation));
        }

        return needsMedium && _disc is null ? SenseCode.MediumNotPresent.ToResult() : null;
    }

    /// <summary>Copies a response into the host's buffer, honouring the allocation length (SPC-4).</summary>
    private static ScsiResult Respond(ReadOnlySpan<byte> response, int allocationLength, Span<byte> data) =>
        Responses.Respond(response, allocationLength, data);

    private void CompleteLongOperationIfDue()
    {
        _longOperations.CompleteIfDue();
        CompleteBackgroundFormatIfDue();
    }

    /// <summary>The phase a command with <paramref name="operationCode"/> arrives in (see <see cref="DrivePhase"/>).</summary>
    private DrivePhase PhaseOf(byte operationCode)
    {
        lock (_sync)
        {
            CompleteLongOperationIfDue();
            if (_longOperations.Current is { } operation)
            {
                return operation.Phase;
            }

            return operationCode switch
            {
                OperationCodes.Write10 or OperationCodes.Write12 => DrivePhase.Writing,
                OperationCodes.SynchronizeCache => DrivePhase.Flushing,
                OperationCodes.CloseTrackSession => DrivePhase.Closing,
                OperationCodes.FormatUnit => DrivePhase.Formatting,
                OperationCodes.Blank => DrivePhase.Blanking,
                OperationCodes.SendOpcInformation => DrivePhase.Calibrating,
                _ => _backgroundFormat is not null ? DrivePhase.Formatting : DrivePhase.Idle,
            };
        }
    }

    /// <summary>A command without Immed holds the host until its long operation is over.</summary>
    private async ValueTask<ScsiResult> AwaitLongOperationAsync(LongOperation operation, CancellationToken cancellationToken)
    {
        await Task.Delay(operation.Duration, _clock, cancellationToken).ConfigureAwait(false);
        lock (_sync)
        {
            CompleteLongOperationIfDue();
            _longOperations.End(operation, runComplete: true);
        }

        return ScsiResult.Good();
    }
}
