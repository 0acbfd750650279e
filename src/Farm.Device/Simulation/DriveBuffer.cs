using System.Buffers.Binary;
using Farm.Device.Audio;
using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// The drive buffer. WRITE data enters the buffer; the drive starts recording once the buffer is
/// full (a WRITE no longer fits) or the host flushes (SYNCHRONIZE CACHE, FUA, CLOSE), and then
/// drains it at the write speed (the medium's 1x times <see cref="SimulatedDriveOptions.WriteSpeedX"/>
/// or its highest speed) times the time scale, measured on the injected clock. If the buffer
/// runs dry while the host is still streaming (WRITEs not yet flushed), that is an underrun:
/// with buffer-underrun-free recording the drive pauses until the buffer is full again; without
/// it the disc is ruined and the next WRITE, SYNCHRONIZE CACHE or CLOSE gets 3/0C/09. BUFE is the
/// bit of the write parameters page (<see cref="ModePages"/>) (MODE SELECT switches it).
/// The data itself reaches the disc's store when the WRITE is accepted; the buffer is accounting
/// (a power loss discards the blocks still "in" it from sequential media).
/// </summary>
internal sealed class DriveBuffer
{
    private readonly IDriveCore _drive;
    private readonly SimulatedDriveOptions _options;
    private readonly TimeProvider _clock;
    private readonly WriteSpeedSelection _speeds;
    private readonly ModePages _modePages;

    private double _bufferedBytes;
    private long _bufferTimestamp;
    private bool _recording;
    private bool _unflushedWrites;
    private bool _lossOfStreamingPending;
    private long _underruns;
    private long _bytesWritten;

    public DriveBuffer(IDriveCore drive, SimulatedDriveOptions options, TimeProvider clock, WriteSpeedSelection speeds, ModePages modePages)
    {
        _drive = drive;
        _options = options;
        _clock = clock;
        _speeds = speeds;
        _modePages = modePages;
        _bufferTimestamp = clock.GetTimestamp();
    }

    /// <summary>Times the buffer ran dry while the host was streaming (harmless with buffer-underrun-free recording).</summary>
    public long Underruns => Interlocked.Read(ref _underruns);

    /// <summary>Bytes accepted by WRITE commands.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Bytes in the drive buffer now.</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_drive.Sync)
            {
                Update();
                return (long)Math.Ceiling(_bufferedBytes);
            }
        }
    }

    /// <summary>One past the last block accepted by a WRITE: the buffer's content ends there.</summary>
    private long _bufferEndLba;

    /// <summary>
    /// The write speed in bytes per second of simulated time, for the loaded disc, at the block
    /// being recorded now (the first one still in the buffer): constant with CLV, growing with
    /// the radius with CAV (see <see cref="WriteSpeeds.SpeedXAt"/>).
    /// </summary>
    private double WriteBytesPerSecond
    {
        get
        {
            if (_drive.Disc is not { } disc)
            {
                return 0;
            }

            long recordingLba = Math.Max(0, _bufferEndLba - (long)(_bufferedBytes / IMediaStore.BlockSize));
            var speed = _speeds.CurrentWriteSpeed(disc.Profile);
            // CD 1x is 75 blocks a second: 153,600 B/s of Mode-1 user data, 176,400 B/s of CD-DA.
            double oneX = _modePages.WritesAudioBlocks(disc) ? disc.Profile.OneXBytesPerSecond * (CdAddress.BlockBytes / (double)IMediaStore.BlockSize) : disc.Profile.OneXBytesPerSecond;
            return oneX * WriteSpeeds.SpeedXAt(disc.Profile, speed, recordingLba, disc.CapacityBlocks);
        }
    }

    /// <summary>How fast the buffer drains on the injected clock.</summary>
    private double DrainBytesPerClockSecond => WriteBytesPerSecond * _options.TimeScale;

    /// <summary>True while WRITE data has come in that no flush (SYNCHRONIZE CACHE, FUA) has covered.</summary>
    public bool HasUnflushedWrites => _unflushedWrites;

    /// <summary>Brings the buffer up to now (call under the lock).</summary>
    public void Update()
    {
        long now = _clock.GetTimestamp();
        if (_drive.Disc is null || _options.UnlimitedSpeed)
        {
            _bufferedBytes = 0;
            _recording = false;
        }
        else if (_recording && _bufferedBytes > 0)
        {
            double drained = _clock.GetElapsedTime(_bufferTimestamp, now).TotalSeconds * DrainBytesPerClockSecond;
            if (drained < _bufferedBytes)
            {
                _bufferedBytes -= drained;
            }
            else
            {
                _bufferedBytes = 0;
                _recording = false;
                if (_unflushedWrites)
                {
                    Starved();
                }
            }
        }

        _bufferTimestamp = now;
    }

    private void Starved()
    {
        Interlocked.Increment(ref _underruns);
        if (!_modePages.WriteParameters.BufferUnderrunFree && _drive.Disc is { } disc)
        {
            _lossOfStreamingPending = true;
            disc.Ruin("loss of streaming: the drive buffer ran dry while recording without buffer-underrun-free");
        }
    }

    /// <summary>
    /// How long until <paramref name="bytes"/> fit in the buffer (zero when they fit now). A
    /// WRITE that does not fit means the buffer is full: recording starts.
    /// </summary>
    public TimeSpan TimeUntilFits(int bytes)
    {
        double free = _options.BufferBytes - _bufferedBytes;
        if (_options.UnlimitedSpeed || bytes <= free)
        {
            return TimeSpan.Zero;
        }

        _recording = true;
        return AtLeastOneTick(TimeSpan.FromSeconds((bytes - free) / DrainBytesPerClockSecond));
    }

    /// <summary>The host flushes: recording starts and runs until the buffer is empty; returns how long that takes.</summary>
    public TimeSpan StartFlush()
    {
        _unflushedWrites = false;
        if (_bufferedBytes <= 0 || _options.UnlimitedSpeed)
        {
            _bufferedBytes = 0;
            return TimeSpan.Zero;
        }

        _recording = true;
        return AtLeastOneTick(TimeSpan.FromSeconds(_bufferedBytes / DrainBytesPerClockSecond));
    }

    /// <summary>
    /// A WRITE's data is in (call under the lock, once <see cref="TimeUntilFits"/> said it fits):
    /// the buffer holds it until recorded, up to <paramref name="endLba"/>.
    /// </summary>
    public void Accept(long endLba, int bytes)
    {
        _bufferedBytes += _options.UnlimitedSpeed ? 0 : bytes;
        _bufferEndLba = endLba;
        _unflushedWrites = true;
        Interlocked.Add(ref _bytesWritten, bytes);
    }

    /// <summary>A flush has reached the medium: the buffer is empty and recording stops (call under the lock).</summary>
    public void Flushed()
    {
        _bufferedBytes = 0;
        _recording = false;
    }

    /// <summary>Reports a pending loss of streaming once (call under the lock).</summary>
    public ScsiResult? TakeLossOfStreaming()
    {
        if (!_lossOfStreamingPending)
        {
            return null;
        }

        _lossOfStreamingPending = false;
        return SenseCode.LossOfStreaming.ToResult();
    }

    /// <summary>The power fails or the medium changes: how many blocks were still in the buffer, never to reach the disc; the buffer is then empty.</summary>
    public long Lose()
    {
        Update();
        long lostBlocks = (long)Math.Ceiling(_bufferedBytes / IMediaStore.BlockSize);
        Reset();
        return lostBlocks;
    }

    /// <summary>The buffer is gone (eject, medium removed, power loss).</summary>
    public void Reset()
    {
        _bufferedBytes = 0;
        _recording = false;
        _unflushedWrites = false;
        _lossOfStreamingPending = false;
        _bufferTimestamp = _clock.GetTimestamp();
    }

    private static TimeSpan AtLeastOneTick(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1);

    /// <summary>
    /// READ BUFFER CAPACITY (MMC-6; CDB: byte 1 bit 0 BLOCK, bits 7-1 reserved; bytes 2-6
    /// reserved; bytes 7-8 ALLOCATION LENGTH). Response, 12 bytes, BLOCK = 0: bytes 0-1 DATA
    /// LENGTH = 10, bytes 2-3 reserved, bytes 4-7 LENGTH OF BUFFER, bytes 8-11 BLANK LENGTH OF
    /// BUFFER (free bytes). BLOCK = 1: byte 3 bit 0 BLOCK = 1, bytes 8-11 AVAILABLE LENGTH OF
    /// BUFFER in 2048-byte blocks. Answers without a medium (an empty buffer).
    /// </summary>
    public ScsiResult ReadBufferCapacity(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if ((cdb[1] & 0xFE) != 0 || Cdb.AnySet(cdb, 2, 6))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        bool inBlocks = (cdb[1] & 0x01) != 0;
        long free;
        lock (_drive.Sync)
        {
            Update();
            free = _options.BufferBytes - (long)Math.Ceiling(_bufferedBytes);
        }

        var response = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(response, 10);
        if (inBlocks)
        {
            response[3] = 0x01;
            BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(8), (uint)(free / IMediaStore.BlockSize));
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(4), (uint)_options.BufferBytes);
            BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(8), (uint)free);
        }

        return Responses.Respond(response, Cdb.UInt16(cdb, 7), data);
    }
}
