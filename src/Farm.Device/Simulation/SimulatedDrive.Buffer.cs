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
/// bit of the write parameters page (MODE SELECT switches it).
/// The data itself reaches the disc's store when the WRITE is accepted; the buffer is accounting
/// (a power loss discards the blocks still "in" it from sequential media).
/// </summary>
public sealed partial class SimulatedDrive
{
    private double bufferedBytes;
    private long bufferTimestamp;
    private bool recording;
    private bool unflushedWrites;
    private bool lossOfStreamingPending;
    private long underruns;
    private long bytesWritten;

    /// <summary>Times the buffer ran dry while the host was streaming (harmless with buffer-underrun-free recording).</summary>
    public long Underruns => Interlocked.Read(ref underruns);

    /// <summary>Bytes accepted by WRITE commands.</summary>
    public long BytesWritten => Interlocked.Read(ref bytesWritten);

    /// <summary>Bytes in the drive buffer now.</summary>
    public long BufferedBytes
    {
        get
        {
            lock (sync)
            {
                UpdateBuffer();
                return (long)Math.Ceiling(bufferedBytes);
            }
        }
    }

    /// <summary>One past the last block accepted by a WRITE: the buffer's content ends there.</summary>
    private long bufferEndLba;

    /// <summary>
    /// The write speed in bytes per second of simulated time, for the loaded disc, at the block
    /// being recorded now (the first one still in the buffer): constant with CLV, growing with
    /// the radius with CAV (see <see cref="WriteSpeeds.SpeedXAt"/>).
    /// </summary>
    private double WriteBytesPerSecond
    {
        get
        {
            if (disc is null)
            {
                return 0;
            }

            long recordingLba = Math.Max(0, bufferEndLba - (long)(bufferedBytes / IMediaStore.BlockSize));
            var speed = CurrentWriteSpeed(disc.Profile);
            // CD 1x is 75 blocks a second: 153,600 B/s of Mode-1 user data, 176,400 B/s of CD-DA.
            double oneX = WritesAudioBlocks(disc) ? disc.Profile.OneXBytesPerSecond * (CdAddress.BlockBytes / (double)IMediaStore.BlockSize) : disc.Profile.OneXBytesPerSecond;
            return oneX * WriteSpeeds.SpeedXAt(disc.Profile, speed, recordingLba, disc.CapacityBlocks);
        }
    }

    /// <summary>How fast the buffer drains on the injected clock.</summary>
    private double DrainBytesPerClockSecond => WriteBytesPerSecond * options.TimeScale;

    /// <summary>Brings the buffer up to now (call under the lock).</summary>
    private void UpdateBuffer()
    {
        long now = clock.GetTimestamp();
        if (disc is null || options.UnlimitedSpeed)
        {
            bufferedBytes = 0;
            recording = false;
        }
        else if (recording && bufferedBytes > 0)
        {
            double drained = clock.GetElapsedTime(bufferTimestamp, now).TotalSeconds * DrainBytesPerClockSecond;
            if (drained < bufferedBytes)
            {
                bufferedBytes -= drained;
            }
            else
            {
                bufferedBytes = 0;
                recording = false;
                if (unflushedWrites)
                {
                    Starved();
                }
            }
        }

        bufferTimestamp = now;
    }

    private void Starved()
    {
        Interlocked.Increment(ref underruns);
        if (!writeParameters.BufferUnderrunFree && disc is not null)
        {
            lossOfStreamingPending = true;
            disc.Ruin("loss of streaming: the drive buffer ran dry while recording without buffer-underrun-free");
        }
    }

    /// <summary>
    /// How long until <paramref name="bytes"/> fit in the buffer (zero when they fit now). A
    /// WRITE that does not fit means the buffer is full: recording starts.
    /// </summary>
    private TimeSpan TimeUntilFits(int bytes)
    {
        double free = options.BufferBytes - bufferedBytes;
        if (options.UnlimitedSpeed || bytes <= free)
        {
            return TimeSpan.Zero;
        }

        recording = true;
        return AtLeastOneTick(TimeSpan.FromSeconds((bytes - free) / DrainBytesPerClockSecond));
    }

    /// <summary>The host flushes: recording starts and runs until the buffer is empty; returns how long that takes.</summary>
    private TimeSpan StartFlush()
    {
        unflushedWrites = false;
        if (bufferedBytes <= 0 || options.UnlimitedSpeed)
        {
            bufferedBytes = 0;
            return TimeSpan.Zero;
        }

        recording = true;
        return AtLeastOneTick(TimeSpan.FromSeconds(bufferedBytes / DrainBytesPerClockSecond));
    }

    /// <summary>The buffer is gone (eject, medium removed, power loss).</summary>
    private void ResetBuffer()
    {
        bufferedBytes = 0;
        recording = false;
        unflushedWrites = false;
        lossOfStreamingPending = false;
        bufferTimestamp = clock.GetTimestamp();
    }

    private static TimeSpan AtLeastOneTick(TimeSpan wait) => wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1);

    /// <summary>
    /// READ BUFFER CAPACITY (MMC-6; CDB: byte 1 bit 0 BLOCK, bits 7-1 reserved; bytes 2-6
    /// reserved; bytes 7-8 ALLOCATION LENGTH). Response, 12 bytes, BLOCK = 0: bytes 0-1 DATA
    /// LENGTH = 10, bytes 2-3 reserved, bytes 4-7 LENGTH OF BUFFER, bytes 8-11 BLANK LENGTH OF
    /// BUFFER (free bytes). BLOCK = 1: byte 3 bit 0 BLOCK = 1, bytes 8-11 AVAILABLE LENGTH OF
    /// BUFFER in 2048-byte blocks. Answers without a medium (an empty buffer).
    /// </summary>
    private ScsiResult ReadBufferCapacity(ReadOnlySpan<byte> cdb, Span<byte> data)
    {
        if ((cdb[1] & 0xFE) != 0 || Cdb.AnySet(cdb, 2, 6))
        {
            return SenseCode.InvalidFieldInCdb.ToResult();
        }

        bool inBlocks = (cdb[1] & 0x01) != 0;
        long free;
        lock (sync)
        {
            UpdateBuffer();
            free = options.BufferBytes - (long)Math.Ceiling(bufferedBytes);
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
            BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(4), (uint)options.BufferBytes);
            BinaryPrimitives.WriteUInt32BigEndian(response.AsSpan(8), (uint)free);
        }

        return Respond(response, Cdb.UInt16(cdb, 7), data);
    }
}
