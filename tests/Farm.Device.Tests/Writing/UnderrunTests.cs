using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>
/// A speed-limited drive fed by a source that stalls: without buffer-underrun-free recording the
/// drive's buffer runs dry and the disc is lost (E_IMAPI_LOSS_OF_STREAMING); with it the drive
/// pauses and the write completes. The clock is manual: the test moves it while the source stalls.
/// </summary>
public sealed class UnderrunTests
{
    // 128 WRITEs of 32 KiB fit; the 129th lacks 2,770 bytes, exactly 2 ms of recording at 1x DVD
    // (1,385,000 B/s). Task.Delay on a TimeProvider counts whole milliseconds, and the simulator
    // waits by it: a wait that is not a whole number of milliseconds would fire early and spin
    // on a manual clock, so the shortfall is chosen to be exactly 2 ms.
    private const int BufferBytes = (4 * 1024 * 1024) + (32 * 1024) - 2770;

    // Enough to fill the drive buffer and hold one more WRITE; the rest comes after the stall.
    private const int BeforeStallBlocks = 129 * 16;
    private const int AfterStallBlocks = 512;

    [Fact]
    public async Task Without_buffer_underrun_free_a_stalled_source_loses_the_disc_with_loss_of_streaming()
    {
        var (drive, section) = await StallAsync(bufferUnderrunFree: false);
        await using var _ = drive;

        var lost = await Assert.ThrowsAsync<DeviceException>(() => section);

        Assert.Equal(ImapiErrors.LossOfStreaming, lost.Error.Error);
        Assert.Equal(1, drive.Underruns);
        Assert.True(drive.CurrentDisc!.IsRuined);
    }

    [Fact]
    public async Task With_buffer_underrun_free_the_drive_pauses_and_the_write_completes()
    {
        var (drive, section) = await StallAsync(bufferUnderrunFree: true);
        await using var _ = drive;

        var result = await section;

        Assert.Equal(BeforeStallBlocks + AfterStallBlocks, result.Blocks);
        Assert.Equal(1, drive.Underruns);
        Assert.False(drive.CurrentDisc!.IsRuined);
    }

    /// <summary>Starts a section, lets the drive fill its buffer, stalls the source while the clock runs 10 s, then resumes the source.</summary>
    private static async Task<(SimulatedDrive Drive, Task<WriteSectionResult> Section)> StallAsync(bool bufferUnderrunFree)
    {
        var clock = new ManualTimeProvider();
        var options = new SimulatedDriveOptions { BufferBytes = BufferBytes, BufferUnderrunFree = bufferUnderrunFree, WriteSpeedX = 1 };
        var drive = await Simulation.SimulatorKit.ReadyDriveAsync(Profile.DvdPlusR, options, clock);
        var source = new StallingStream(BeforeStallBlocks * 2048, AfterStallBlocks * 2048);
        var lastBeforeStall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var engine = new WriteEngine(new WriteEngineOptions { DriveBufferBytes = 64L * 1024 * 1024, ReadChunkBytes = 32 * 1024 }) { Recorder = WritingKit.MmcOf(drive, clock), BytesPerSector = 2048 };
        engine.Update += (_, p) =>
        {
            if (p.LastWrittenLba == BeforeStallBlocks - 1)
            {
                lastBeforeStall.TrySetResult();
            }
        };

        var section = engine.WriteSectionAsync(source, 0, BeforeStallBlocks + AfterStallBlocks, CancellationToken.None);

        // The buffer is full and the last WRITE before the stall waits for room: its command
        // timeout and its wait for the buffer to drain are the two timers armed.
        await clock.WaitForArmedTimersAsync(2, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await Task.WhenAny(lastBeforeStall.Task, section);
        source.Resume();
        return (drive, section);
    }

    /// <summary>Random bytes: the first part at once, the rest only after <see cref="Resume"/>.</summary>
    private sealed class StallingStream(int beforeStall, int afterStall) : Stream
    {
        private readonly byte[] _data = RandomBytes(beforeStall + afterStall);
        private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _data.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public void Resume() => _resumed.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= beforeStall)
            {
                await _resumed.Task.WaitAsync(cancellationToken);
            }

            var limit = _position < beforeStall ? beforeStall : _data.Length;
            var count = Math.Min(buffer.Length, limit - _position);
            _data.AsSpan(_position, count).CopyTo(buffer.Span);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static byte[] RandomBytes(int length)
        {
            var bytes = new byte[length];
            new Random(11).NextBytes(bytes);
            return bytes;
        }
    }
}
