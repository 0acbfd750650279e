using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Device.Writing;

/// <summary>The outcome of one <see cref="WriteEngine.WriteSectionAsync(ISectorSource, int, int, CancellationToken)"/>.</summary>
/// <param name="Status">S_OK, or S_IMAPI_SPEEDADJUSTED when the drive did not take the speed asked for.</param>
/// <param name="Sha256">SHA-256 of the section's bytes as the source read them.</param>
public sealed record WriteSectionResult(ImapiError Status, long StartLba, long Blocks, string Sha256, TimeSpan Duration);

/// <summary>
/// IWriteEngine2 (seed 000/002): step 4 of a write, the WRITE commands, for any medium. Set
/// <see cref="Recorder"/> and <see cref="BytesPerSector"/> first (else E_IMAPI_RECORDER_REQUIRED /
/// E_INVALIDARG); then <see cref="WriteSectionAsync(Stream, int, int, CancellationToken)"/> sends
/// the blocks at consecutive LBAs (negative LBAs allowed, as the seed says: CD lead-in areas),
/// with WRITE(12) and the Streaming bit when <see cref="UseStreamingWrite12"/> is set (IMAPI2
/// leaves this unimplemented; we implement it) and WRITE(10) otherwise.
/// <para>
/// Progress (<see cref="Update"/>) carries IWriteEngine2EventArgs' fields plus elapsed and
/// remaining time and the drive's own buffer. READ BUFFER CAPACITY is never sent before the drive
/// buffer has filled once: libburn and cdrecord learned that some firmware answers it wrongly, or
/// stalls, while the buffer is still filling at the start of a write. "Filled once" is decided
/// without asking the drive: once as many bytes as its buffer holds have been sent. After that
/// the poll is throttled (<see cref="WriteEngineOptions.DriveBufferPollInterval"/>) because each
/// poll is one more command queued between WRITEs.
/// </para>
/// One write at a time per engine; <see cref="CancelWrite"/> may be called from any thread.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "cancelSource lives for one WriteSection, which disposes it")]
public sealed partial class WriteEngine
{
    private readonly WriteEngineOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private MmcDrive? _recorder;
    private int _bytesPerSector;
    private int _startingSectorsPerSecond;
    private int _endingSectorsPerSecond;
    private CancellationTokenSource? _cancelSource;

    public WriteEngine(WriteEngineOptions? options = null, ILogger? logger = null)
    {
        _options = (options ?? new WriteEngineOptions()).Validate();
        _logger = logger ?? NullLogger.Instance;
        ChunkBytes = _options.ChunkBytes;
    }

    /// <summary>DWriteEngine2Events::Update: raised after every WRITE, on the writing thread.</summary>
    public event EventHandler<WriteProgress>? Update;

    /// <summary>The drive to write to (IWriteEngine2::put_Recorder). Cannot change during a write.</summary>
    public MmcDrive? Recorder
    {
        get => _recorder;
        set
        {
            ThrowIfWriting("change the recorder");
            _recorder = value;
        }
    }

    /// <summary>
    /// Logical block size of the writes (IWriteEngine2::put_BytesPerSector); 0 until set. Only
    /// 2048 is accepted: the farm writes Mode 1 / DVD / BD data blocks, never raw CD sectors.
    /// </summary>
    public int BytesPerSector
    {
        get => _bytesPerSector;
        set
        {
            ThrowIfWriting("change the bytes per sector");
            if (value != MmcDrive.BlockSize)
            {
                throw Invalid($"BytesPerSector must be {MmcDrive.BlockSize} (data sectors; raw CD sectors are not written), not {value}");
            }

            _bytesPerSector = value;
        }
    }

    /// <summary>WRITE(12) with the Streaming bit instead of WRITE(10).</summary>
    public bool UseStreamingWrite12 { get; set; }

    /// <summary>
    /// Speed at the start of the write in sectors per second; 0 leaves the drive's speed alone.
    /// With <see cref="EndingSectorsPerSecond"/> it drives the speed selection (SET STREAMING /
    /// SET CD SPEED, the faster of the two is asked for: a CAV drive's nominal speed is its end
    /// speed) and the remaining-time estimate (a linear ramp between the two).
    /// </summary>
    public int StartingSectorsPerSecond
    {
        get => _startingSectorsPerSecond;
        set => _startingSectorsPerSecond = value >= 0 ? value : throw Invalid($"StartingSectorsPerSecond must be >= 0, not {value}");
    }

    /// <summary>Speed at the end of the write in sectors per second; 0 when not set.</summary>
    public int EndingSectorsPerSecond
    {
        get => _endingSectorsPerSecond;
        set => _endingSectorsPerSecond = value >= 0 ? value : throw Invalid($"EndingSectorsPerSecond must be >= 0, not {value}");
    }

    /// <summary>Bytes per WRITE command (a multiple of 2048); capped by the transport's maximum transfer.</summary>
    public int ChunkBytes { get; set; }

    /// <summary>The profile whose speed table applies when speeds are set; the data writer sets it.</summary>
    public ProfileInfo? Medium { get; set; }

    public WriteEngineOptions Options => _options;

    /// <summary>IWriteEngine2::get_WriteInProgress.</summary>
    public bool WriteInProgress
    {
        get
        {
            lock (_gate)
            {
                return _cancelSource is not null;
            }
        }
    }

    /// <summary>
    /// IWriteEngine2::CancelWrite: the running section stops before its next WRITE, the drive's
    /// buffer is flushed (SYNCHRONIZE CACHE) so the drive stays usable, and the write ends with
    /// E_IMAPI_REQUEST_CANCELLED. Does nothing when no write runs.
    /// </summary>
    public void CancelWrite()
    {
        lock (_gate)
        {
            _cancelSource?.Cancel();
        }
    }

    /// <summary>IWriteEngine2::WriteSection: <paramref name="numberOfBlocks"/> blocks of <paramref name="data"/> from its current position.</summary>
    public async Task<WriteSectionResult> WriteSectionAsync(Stream data, int startingBlockAddress, int numberOfBlocks, CancellationToken cancellationToken)
    {
        if (data is null)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.InvalidPointer, Disposition.None, "WriteSection: the data stream is null"));
        }

        CheckPreconditions(numberOfBlocks);
        var source = new StreamSectorSource(data, (long)numberOfBlocks * MmcDrive.BlockSize, ReadChunkBytes(), _options.FifoBytes, ownsStream: false);
        await using (source.ConfigureAwait(false))
        {
            return await WriteSectionAsync(source, startingBlockAddress, numberOfBlocks, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>WriteSection from a source that already reads ahead (e.g. a shared image cursor).</summary>
    public async Task<WriteSectionResult> WriteSectionAsync(ISectorSource data, int startingBlockAddress, int numberOfBlocks, CancellationToken cancellationToken)
    {
        if (data is null)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.InvalidPointer, Disposition.None, "WriteSection: the data source is null"));
        }

        var drive = CheckPreconditions(numberOfBlocks);
        using var cancel = BeginWrite();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancel.Token);
        try
        {
            return await RunSectionAsync(drive, data, startingBlockAddress, numberOfBlocks, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _cancelSource = null;
            }
        }
    }

    /// <summary>The chunk size in effect: <see cref="ChunkBytes"/> capped by the adapter, whole sectors.</summary>
    internal int EffectiveChunkBytes()
    {
        var cap = _recorder is { MaxTransferBytes: > 0 } drive ? drive.MaxTransferBytes / MmcDrive.BlockSize * MmcDrive.BlockSize : int.MaxValue;
        return Math.Max(MmcDrive.BlockSize, Math.Min(ChunkBytes, cap));
    }

    /// <summary>Bytes per read into the FIFO: a whole number of WRITEs, 1 MiB or a quarter of the FIFO unless set.</summary>
    internal int ReadChunkBytes()
    {
        var write = EffectiveChunkBytes();
        var wanted = _options.ReadChunkBytes ?? Math.Min(1024 * 1024, _options.FifoBytes / 4);
        return Math.Max(write, wanted / write * write);
    }

    private MmcDrive CheckPreconditions(int numberOfBlocks)
    {
        var drive = _recorder ?? throw new DeviceException(DeviceErrors.Of(
            ImapiErrors.RecorderRequired, Disposition.None, "WriteSection: set Recorder (the drive to write to) before writing"));
        if (_bytesPerSector == 0)
        {
            throw Invalid("WriteSection: set BytesPerSector (2048) before writing");
        }

        if (numberOfBlocks <= 0)
        {
            throw Invalid($"WriteSection: numberOfBlocks must be positive, not {numberOfBlocks}");
        }

        if (ChunkBytes <= 0 || ChunkBytes % MmcDrive.BlockSize != 0)
        {
            throw Invalid($"ChunkBytes must be a positive multiple of {MmcDrive.BlockSize}, not {ChunkBytes}");
        }

        return drive;
    }

    private CancellationTokenSource BeginWrite()
    {
        lock (_gate)
        {
            if (_cancelSource is not null)
            {
                throw new DeviceException(DeviceErrors.Of(
                    ImapiErrors.Df2DataWriteInProgress, Disposition.None, $"{_recorder?.Name}: a write is already in progress on this engine"));
            }

            _cancelSource = new CancellationTokenSource();
            return _cancelSource;
        }
    }

    private void ThrowIfWriting(string what)
    {
        if (WriteInProgress)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataWriteInProgress, Disposition.None, $"cannot {what} while a write is in progress"));
        }
    }

    private static DeviceException Invalid(string message) =>
        new(DeviceErrors.Of(ImapiErrors.InvalidArgument, Disposition.None, message));
}
