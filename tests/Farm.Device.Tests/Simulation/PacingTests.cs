using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Testing;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// The drive buffer on a manual clock. A DVD+R at 1x drains 1,385,000 B/s, so one 32 KiB WRITE
/// needs 23.66 ms of recording; the buffer here holds two of them.
/// </summary>
public sealed class PacingTests
{
    private const int Chunk = 32 * 1024;
    private static readonly TimeSpan OneChunkOfRecording = TimeSpan.FromSeconds(Chunk / 1_385_000.0);

    private static readonly byte[] TestUnitReady = [0x00, 0, 0, 0, 0, 0];

    private static SimulatedDriveOptions SlowDvd(bool bufferUnderrunFree = true) => new()
    {
        BufferBytes = 2 * Chunk,
        WriteSpeedX = 1,
        BufferUnderrunFree = bufferUnderrunFree,
    };

    private static async Task FillBufferAsync(SimulatedDrive drive)
    {
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)));
    }

    [Fact]
    public async Task A_write_that_does_not_fit_waits_until_the_buffer_has_drained_enough()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);
        await FillBufferAsync(drive);

        var third = drive.WriteAsync(Write10(32, 16), Pattern(32, 16)).AsTask();
        Assert.False(third.IsCompleted);

        clock.Advance(OneChunkOfRecording * 0.8);
        Assert.False(third.IsCompleted);

        clock.Advance(OneChunkOfRecording * 0.3);
        AssertGood(await third);
    }

    [Fact]
    public async Task Writes_that_fit_in_the_buffer_complete_at_once()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);

        var first = drive.WriteAsync(Write10(0, 16), Pattern(0, 16)).AsTask();

        Assert.True(first.IsCompleted);
        AssertGood(await first);
        Assert.Equal(Chunk, drive.BufferedBytes);
    }

    [Fact]
    public async Task Read_buffer_capacity_reports_the_free_space_left_by_writes()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        var bytes = await drive.ReadDataAsync([0x5C, 0x00, 0, 0, 0, 0, 0, 0, 12, 0], 12);
        var blocks = await drive.ReadDataAsync([0x5C, 0x01, 0, 0, 0, 0, 0, 0, 12, 0], 12);

        Assert.Equal((uint)Chunk, UInt32At(bytes, 8));
        Assert.Equal(0x01, blocks[3] & 0x01); // BLOCK = 1: available length in blocks (8-11)
        Assert.Equal(16u, UInt32At(blocks, 8));
    }

    [Fact]
    public async Task Synchronize_cache_without_immed_returns_when_the_buffer_is_recorded()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        var flush = drive.RunAsync(SynchronizeCache());
        Assert.False(flush.IsCompleted);

        clock.Advance(OneChunkOfRecording);
        AssertGood(await flush);
        Assert.Equal(0, drive.BufferedBytes);
    }

    [Fact]
    public async Task After_synchronize_cache_with_immed_test_unit_ready_reports_long_write_in_progress_with_progress()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        AssertGood(await drive.RunAsync(SynchronizeCache(immediate: true)));
        clock.Advance(OneChunkOfRecording / 2);

        var busy = await drive.RunAsync(TestUnitReady);
        AssertSense(busy, SenseKey.NotReady, 0x04, 0x08);
        Assert.InRange(Progress(busy)!.Value, 30_000, 36_000);

        clock.Advance(OneChunkOfRecording);
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task Request_sense_during_a_long_write_reports_no_sense_with_progress()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.RunAsync(SynchronizeCache(immediate: true)));

        var sense = await drive.ReadDataAsync([0x03, 0x00, 0x00, 0x00, 18, 0x00], 18);

        Assert.Equal((byte)SenseKey.NoSense, sense[2]);
        Assert.Equal([0x04, 0x08], sense[12..14]);
        Assert.Equal(0x80, sense[15]);
    }

    [Fact]
    public async Task A_session_close_with_immed_keeps_the_drive_busy_for_the_scaled_close_time()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd() with { TimeScale = 10 }, clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        var flush = drive.RunAsync(SynchronizeCache());
        clock.Advance(TimeSpan.FromSeconds(1));
        AssertGood(await flush);

        AssertGood(await drive.RunAsync(Close(0b110, immediate: true)));

        clock.Advance(TimeSpan.FromSeconds(4)); // 45 s finalising / 10 = 4.5 s
        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.NotReady, 0x04, 0x08);
        AssertSense(await drive.RunAsync(ReadDiscInformation(), new byte[34]), SenseKey.NotReady, 0x04, 0x08);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task A_close_longer_than_the_command_timeout_fails_in_the_transport()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(), clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        var flush = drive.RunAsync(SynchronizeCache());
        clock.Advance(TimeSpan.FromSeconds(1));
        AssertGood(await flush);

        var close = drive.ExecuteAsync(Close(0b110), DataDirection.None, Memory<byte>.Empty, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        clock.Advance(TimeSpan.FromSeconds(10));

        var failure = await Assert.ThrowsAsync<ScsiTransportException>(() => close);
        Assert.Equal(TransportFailure.Timeout, failure.Failure);
    }

    [Fact]
    public async Task A_starved_buffer_without_buffer_underrun_free_ruins_the_disc_with_loss_of_streaming()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(bufferUnderrunFree: false), clock);
        await FillBufferAsync(drive);
        var third = drive.WriteAsync(Write10(32, 16), Pattern(32, 16)).AsTask();
        clock.Advance(OneChunkOfRecording * 1.1);
        AssertGood(await third);

        clock.Advance(TimeSpan.FromSeconds(1)); // the host stalls; the buffer runs dry

        AssertSense(await drive.WriteAsync(Write10(48, 16), Pattern(48, 16)), SenseKey.MediumError, 0x0C, 0x09);
        AssertSense(await drive.WriteAsync(Write10(48, 16), Pattern(48, 16)), SenseKey.MediumError, 0x0C, 0x00);
        Assert.Equal(1, drive.Underruns);
        Assert.True(drive.CurrentDisc!.IsRuined);
    }

    [Fact]
    public async Task A_starved_buffer_with_buffer_underrun_free_just_pauses()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(bufferUnderrunFree: true), clock);
        await FillBufferAsync(drive);
        var third = drive.WriteAsync(Write10(32, 16), Pattern(32, 16)).AsTask();
        clock.Advance(OneChunkOfRecording * 1.1);
        AssertGood(await third);

        clock.Advance(TimeSpan.FromSeconds(1));

        AssertGood(await drive.WriteAsync(Write10(48, 16), Pattern(48, 16)));
        Assert.False(drive.CurrentDisc!.IsRuined);
    }

    [Fact]
    public async Task A_host_that_pauses_after_synchronize_cache_causes_no_underrun()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd(bufferUnderrunFree: false), clock);
        await FillBufferAsync(drive);
        var flush = drive.RunAsync(SynchronizeCache());
        clock.Advance(OneChunkOfRecording * 2.1);
        AssertGood(await flush);

        clock.Advance(TimeSpan.FromSeconds(5));

        AssertGood(await drive.WriteAsync(Write10(32, 16), Pattern(32, 16)));
        Assert.Equal(0, drive.Underruns);
    }

    [Fact]
    public async Task Unlimited_speed_never_waits()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd() with { UnlimitedSpeed = true }, clock);

        for (uint lba = 0; lba < 16 * 20; lba += 16)
        {
            var write = drive.WriteAsync(Write10(lba, 16), Pattern(lba, 16)).AsTask();
            Assert.True(write.IsCompleted);
            AssertGood(await write);
        }
    }
}
