using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Device.Writing;

/// <summary>
/// IDiscFormat2Data: writes one image to the disc in a drive, in the five steps of IWriteEngine2
/// (seed 000): (1) prepare: write parameters page 05h where the profile needs it; (2) check the
/// medium is large enough, before any write; (3) initialise: format if the medium is unformatted,
/// power calibration, speed selection; (4) WRITE, through a <see cref="WriteEngine"/>; (5) finish:
/// SYNCHRONIZE CACHE and the profile's CLOSE sequence (<see cref="CloseSequences"/>), polling
/// TEST UNIT READY while the drive reports an operation in progress. Sequential media get the
/// image as a new session at the next writable address; rewritable media are written from
/// sector 0, only the image's changed ranges when it lists them (IBlockRangeList).
/// One write at a time per writer (E_IMAPI_DF2DATA_WRITE_IN_PROGRESS otherwise).
/// </summary>
public sealed partial class DataWriter
{
    private readonly MmcDrive _drive;
    private readonly DataWriterOptions _options;
    private readonly ILogger _logger;
    private readonly WriteEngine _engine;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _running;

    public DataWriter(MmcDrive drive, DataWriterOptions? options = null, ILogger? logger = null)
    {
        _drive = drive ?? throw new ArgumentNullException(nameof(drive));
        _options = (options ?? new DataWriterOptions()).Validate();
        _logger = logger ?? NullLogger.Instance;
        _engine = new WriteEngine(_options.EngineOptions(), _logger);
    }

    /// <summary>IDiscFormat2Data::get_Recorder.</summary>
    public MmcDrive Recorder => _drive;

    public DataWriterOptions Options => _options;

    /// <summary>True from the start of a write until it ended, whatever the outcome.</summary>
    public bool WriteInProgress
    {
        get
        {
            lock (_gate)
            {
                return _running is not null;
            }
        }
    }

    /// <summary>
    /// IDiscFormat2Data::CancelWrite: stops the write at the next step or WRITE; the drive's buffer
    /// is flushed so the drive stays usable, and the write ends with E_IMAPI_REQUEST_CANCELLED.
    /// </summary>
    public void CancelWrite()
    {
        lock (_gate)
        {
            _running?.Cancel();
        }
    }

    /// <summary>Writes an image file (its <see cref="ImageSource.ChangedRanges"/> honoured on rewritable media).</summary>
    public Task<WriteResult> WriteAsync(ImageSource image, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        return RunAsync(Input.FromImage(image), progress, cancellationToken);
    }

    /// <summary>IDiscFormat2Data::Write: the whole stream, whose length must be a multiple of 2048.</summary>
    public Task<WriteResult> WriteAsync(Stream data, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return RunAsync(Input.FromStream(data), progress, cancellationToken);
    }

    /// <summary>Writes <paramref name="blocks"/> blocks from a source that already reads ahead (a shared image cursor); the caller owns it.</summary>
    public Task<WriteResult> WriteAsync(ISectorSource data, long blocks, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        return RunAsync(Input.FromSource(data, blocks), progress, cancellationToken);
    }

    /// <summary>Writes the image, then verifies it as <see cref="DataWriterOptions.Verify"/> says.</summary>
    public async Task<BurnResult> BurnAsync(ImageSource image, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        var written = await WriteAsync(image, progress, cancellationToken).ConfigureAwait(false);
        var verified = await VerifyAsync(written, image, _options.Verify, progress, cancellationToken).ConfigureAwait(false);
        return new BurnResult(written, verified);
    }

    /// <summary>Verifies a finished write: none (null), quick (disc/track information and sampled sectors) or full (every sector, SHA-256).</summary>
    public async Task<VerifyResult?> VerifyAsync(WriteResult written, ImageSource image, VerifyMode mode, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(image);
        if (mode == VerifyMode.None)
        {
            return null;
        }

        var last = written.StartLba + written.Blocks - 1;
        progress?.Report(new WriteProgress(WriteAction.Verifying, written.StartLba, written.Blocks, last, last, 0, 0, TimeSpan.Zero));
        WritingLog.Step(_logger, _drive.Name, WriteAction.Verifying);
        return mode == VerifyMode.Quick
            ? await Verifier.QuickAsync(_drive, image, written.StartLba, written.ImageSha256, _options.QuickVerifySamples, _options.QuickVerifyRunBlocks, cancellationToken).ConfigureAwait(false)
            : await Verifier.ReadBackAsync(_drive, written.StartLba, written.Blocks, written.ImageSha256, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Claims the writer synchronously (so a second call fails at once), then runs the write.</summary>
    private Task<WriteResult> RunAsync(Input input, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (_running is not null)
            {
                return Task.FromException<WriteResult>(new DeviceException(DeviceErrors.Of(
                    ImapiErrors.Df2DataWriteInProgress, Disposition.None, $"{_drive.Name}: a write is already in progress on this writer; wait for it or cancel it")));
            }

            cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _running = cancel;
        }

        return RunClaimedAsync(input, progress, cancel, cancellationToken);
    }

    private async Task<WriteResult> RunClaimedAsync(Input input, IProgress<WriteProgress>? progress, CancellationTokenSource cancel, CancellationToken callerToken)
    {
        try
        {
            return await WriteCoreAsync(input, progress, cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.RequestCancelled, Disposition.None, $"{_drive.Name}: the write was cancelled"));
        }
        catch (DeviceException cancelled) when (cancelled.Error.Error == ImapiErrors.RequestCancelled && callerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancelled.Message, cancelled, callerToken);
        }
        finally
        {
            lock (_gate)
            {
                _running = null;
            }

            cancel.Dispose();
            await input.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<WriteResult> WriteCoreAsync(Input input, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        var started = _drive.Time.GetTimestamp();
        void Report(WriteAction action, long start, long lastWritten)
        {
            WritingLog.Step(_logger, _drive.Name, action);
            progress?.Report(new WriteProgress(action, start, input.Blocks, lastWritten, lastWritten, _options.FifoBytes, 0, _drive.Time.GetElapsedTime(started)));
        }

        Report(WriteAction.ValidatingMedia, 0, -1);
        var target = await ValidateMediumAsync(input.Blocks, cancellationToken).ConfigureAwait(false);
        var ranges = RangesFor(target, input);

        await _drive.PreventMediumRemovalAsync(true, cancellationToken).ConfigureAwait(false);
        try
        {
            var speed = await PrepareAsync(target, action => Report(action, target.StartLba, -1), cancellationToken).ConfigureAwait(false);
            _engine.Recorder = _drive;
            _engine.BytesPerSector = MmcDrive.BlockSize;
            _engine.UseStreamingWrite12 = _options.UseStreamingWrite12;
            _engine.ChunkBytes = _options.ChunkBytes ?? target.Info.PreferredChunkBytes;
            _engine.Medium = target.Info;

            Report(WriteAction.WritingData, target.StartLba, -1);
            void Forward(object? sender, WriteProgress p) =>
                progress?.Report(p with { StartLba = target.StartLba, SectorCount = input.Blocks, Elapsed = _drive.Time.GetElapsedTime(started) });
            _engine.Update += Forward;
            string? sectionHash = null;
            var dataStarted = _drive.Time.GetTimestamp();
            try
            {
                foreach (var range in ranges)
                {
                    var source = input.Open(range.StartLba, range.Blocks, _engine.ReadChunkBytes(), _options.FifoBytes);
                    await using (source.ConfigureAwait(false))
                    {
                        var section = await _engine.WriteSectionAsync(source, checked((int)(target.StartLba + range.StartLba)), checked((int)range.Blocks), cancellationToken).ConfigureAwait(false);
                        sectionHash = section.Sha256;
                    }
                }
            }
            finally
            {
                _engine.Update -= Forward;
            }

            var last = target.StartLba + input.Blocks - 1;
            Report(WriteAction.Finalization, target.StartLba, last);
            await _drive.SynchronizeCacheAsync(cancellationToken).ConfigureAwait(false);
            var writePhase = _drive.Time.GetElapsedTime(dataStarted);
            foreach (var step in CloseSequences.For(target.Info.Profile, _options.ForceMediaToBeClosed))
            {
                await _drive.CloseAsync(step.Function, (ushort)(step.AddressesTrack ? target.TrackNumber : target.SessionNumber), cancellationToken).ConfigureAwait(false);
            }

            var whole = ranges.Count == 1 && ranges[0].StartLba == 0 && ranges[0].Blocks == input.Blocks;
            var hash = whole ? sectionHash! : await input.HashAllAsync(cancellationToken).ConfigureAwait(false);
            Report(WriteAction.Completed, target.StartLba, last);
            return new WriteResult(target.Info.Profile, target.StartLba, input.Blocks, hash, _drive.Time.GetElapsedTime(started))
            {
                Status = speed.Status,
                SelectedSpeedKBps = speed.SelectedKBps,
                SessionNumber = target.SessionNumber,
                WrittenRanges = ranges,
                WritePhase = writePhase,
            };
        }
        finally
        {
            // Best effort: a drive that just failed may refuse this too, and that must not hide the real error.
            try
            {
                await _drive.PreventMediumRemovalAsync(false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DeviceException)
            {
            }
        }
    }

    /// <summary>The image ranges to send: the listed ones on rewritable media, else the whole image.</summary>
    private IReadOnlyList<BlockRange> RangesFor(Target target, Input input)
    {
        if (input.Ranges is not { } listed)
        {
            return [new BlockRange(0, input.Blocks - 1)];
        }

        if (target.Info.SequentialOnly)
        {
            WritingLog.RangesIgnored(_logger, _drive.Name, target.Info.Name);
            return [new BlockRange(0, input.Blocks - 1)];
        }

        var ranges = BlockRange.Normalize(listed, input.Blocks);
        return ranges.Count > 0 ? ranges : throw new DeviceException(DeviceErrors.Of(
            ImapiErrors.InvalidArgument, Disposition.None, "the block-range list is empty: nothing would be written"));
    }
}
