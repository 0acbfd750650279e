using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Testing;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// Write speeds (GET PERFORMANCE, SET CD SPEED, SET STREAMING, CLV and CAV) and BUFE switched
/// through MODE SELECT page 05h, on a manual clock where timing matters.
/// </summary>
public sealed class SpeedAndBufeTests
{
    private const int Chunk = 32 * 1024;
    private static readonly TimeSpan OneChunkAtOneX = TimeSpan.FromSeconds(Chunk / 1_385_000.0);

    private static SimulatedDriveOptions SlowDvd => new() { BufferBytes = 2 * Chunk, WriteSpeedX = 1 };

    [Fact]
    public async Task Get_performance_lists_the_media_write_speeds_fastest_first_with_the_top_one_also_as_cav()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        var speeds = await rig.Mmc.GetWriteSpeedsAsync(CancellationToken.None);

        Assert.Equal(16u * 1385, speeds[0].WriteSpeedKBps);
        Assert.Equal(RotationControl.ConstantAngularVelocity, speeds[0].WriteRotationControl);
        Assert.Equal(16u * 1385, speeds[1].WriteSpeedKBps);
        Assert.Equal(RotationControl.ConstantLinearVelocity, speeds[1].WriteRotationControl);
        Assert.Equal(speeds.Skip(1).OrderByDescending(s => s.WriteSpeedKBps).ToList(), speeds.Skip(1).ToList());
        Assert.All(speeds, s => Assert.Equal((uint)rig.Disc.CapacityBlocks - 1, s.EndLba));
    }

    [Fact]
    public async Task Set_cd_speed_to_a_speed_the_drive_lacks_selects_the_nearest_and_page_2Ah_reports_it()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        await rig.Mmc.SetCdSpeedAsync(MmcCommands.MaximumSpeed, 30 * 176, RotationControl.ConstantLinearVelocity, CancellationToken.None);
        var capabilities = await rig.Mmc.ReadCapabilitiesAsync(CancellationToken.None);

        Assert.Equal((ushort)Math.Round(32 * 176.4), capabilities.CurrentWriteSpeedKBps);
    }

    [Fact]
    public async Task Set_cd_speed_ffffh_selects_the_fastest_speed()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR, new SimulatedDriveOptions { UnlimitedSpeed = true });

        await rig.Mmc.SetCdSpeedAsync(MmcCommands.MaximumSpeed, MmcCommands.MaximumSpeed, RotationControl.ConstantLinearVelocity, CancellationToken.None);

        Assert.Equal((ushort)Math.Round(52 * 176.4), (await rig.Mmc.ReadCapabilitiesAsync(CancellationToken.None)).CurrentWriteSpeedKBps);
    }

    [Fact]
    public async Task A_drive_configured_slower_than_the_medium_never_selects_more_than_its_top_speed()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR, new SimulatedDriveOptions { UnlimitedSpeed = true, WriteSpeedX = 4 });

        await rig.Mmc.SetCdSpeedAsync(MmcCommands.MaximumSpeed, MmcCommands.MaximumSpeed, RotationControl.ConstantLinearVelocity, CancellationToken.None);

        Assert.Equal((ushort)Math.Round(4 * 176.4), (await rig.Mmc.ReadCapabilitiesAsync(CancellationToken.None)).CurrentWriteSpeedKBps);
    }

    [Fact]
    public async Task Set_cd_speed_with_a_reserved_rotation_control_is_an_invalid_field_in_the_cdb()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        Assert.Equal("5/24/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SetCdSpeedAsync(0xFFFF, 0xFFFF, (RotationControl)0b10, CancellationToken.None)));
    }

    [Fact]
    public async Task Set_streaming_selects_a_speed_that_get_performance_reports_as_the_nominal_write_performance()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        uint end = (uint)rig.Disc.CapacityBlocks - 1;

        await rig.Mmc.SetStreamingAsync(StreamingPerformance.ForSpeeds(end, 8 * 1385, 10_500), CancellationToken.None);
        var (start, startKBps, endLba, endKBps) = await NominalWritePerformanceAsync(rig.Mmc, 0);

        Assert.Equal(0u, start);
        Assert.Equal(end, endLba);
        Assert.Equal(8u * 1385, startKBps); // 7.6x is not offered: 8x is the nearest
        Assert.Equal(8u * 1385, endKBps);
    }

    [Fact]
    public async Task Set_streaming_with_exact_and_a_speed_the_drive_lacks_is_an_invalid_field_in_the_parameter_list()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        var exact = StreamingPerformance.ForSpeeds(1000, 7 * 1385, 7 * 1385) with { Exact = true };

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SetStreamingAsync(exact, CancellationToken.None)));
    }

    [Fact]
    public async Task Set_streaming_with_restore_defaults_returns_to_the_default_speed()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        await rig.Mmc.SetStreamingAsync(StreamingPerformance.ForSpeeds(1000, 4 * 1385, 4 * 1385), CancellationToken.None);

        await rig.Mmc.SetStreamingAsync(new StreamingPerformance(0, 0, 0, 0, 0, 0, RestoreDefaults: true), CancellationToken.None);

        Assert.Equal(16 * 1385, (await rig.Mmc.ReadCapabilitiesAsync(CancellationToken.None)).CurrentWriteSpeedKBps);
    }

    [Fact]
    public async Task Cav_recording_reports_a_write_speed_that_grows_from_the_inner_to_the_outer_edge()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        await rig.Mmc.SetCdSpeedAsync(0xFFFF, 0xFFFF, RotationControl.ConstantAngularVelocity, CancellationToken.None);
        var (_, startKBps, _, endKBps) = await NominalWritePerformanceAsync(rig.Mmc, 0);

        Assert.Equal(16u * 1385, endKBps);
        Assert.InRange(startKBps, 6u * 1385, 7u * 1385); // 24 mm of 58 mm: about 41 %
    }

    [Fact]
    public async Task With_cav_the_buffer_drains_faster_near_the_outer_edge_than_near_the_hub()
    {
        var atHub = await FlushTimeAsync(lba: 0);
        var atEdge = await FlushTimeAsync(lba: Profiles.Get(Profile.DvdPlusRw).CapacityBlocks - 1024);

        Assert.True(atHub / atEdge is > 2.0 and < 2.6, $"hub {atHub.TotalMilliseconds} ms, edge {atEdge.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_starved_buffer_after_mode_select_switched_bufe_off_is_a_loss_of_streaming_that_ruins_the_disc()
    {
        var clock = new ManualTimeProvider();
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR, SlowDvd, clock);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { BufferUnderrunFree = false }, CancellationToken.None);

        await StreamThenStallAsync(rig, clock);
        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.WritePatternAsync(48, 16));

        Assert.Same(ImapiErrors.LossOfStreaming, failure.Error.Error);
        Assert.Equal("3/0C/09", failure.Error.Sense?.Code);
        Assert.True(rig.Disc.IsRuined);
    }

    [Fact]
    public async Task A_starved_buffer_with_bufe_switched_back_on_by_mode_select_only_pauses()
    {
        var clock = new ManualTimeProvider();
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR, SlowDvd with { BufferUnderrunFree = false }, clock);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { BufferUnderrunFree = true }, CancellationToken.None);

        await StreamThenStallAsync(rig, clock);
        await rig.WritePatternAsync(48, 16);

        Assert.False(rig.Disc.IsRuined);
        Assert.Equal(1, rig.Drive.Underruns);
    }

    /// <summary>Two chunks fill the buffer, a third starts recording, then the host stalls for a second.</summary>
    private static async Task StreamThenStallAsync(MmcRig rig, ManualTimeProvider clock)
    {
        await rig.WritePatternAsync(0, 32);
        var third = rig.WritePatternAsync(32, 16);
        clock.Advance(OneChunkAtOneX * 1.1);
        await third;
        clock.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>How long SYNCHRONIZE CACHE takes to record 2 MiB written at <paramref name="lba"/> at 8x CAV on a DVD+RW.</summary>
    private static async Task<TimeSpan> FlushTimeAsync(long lba)
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw, new SimulatedDriveOptions(), clock);
        AssertGood(await drive.RunAsync([0xBB, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0]));
        for (long at = lba; at < lba + 1024; at += 16)
        {
            AssertGood(await drive.WriteAsync(Write10((uint)at, 16), Pattern(at, 16)));
        }

        var flush = drive.ExecuteAsync(SynchronizeCache(), DataDirection.None, Memory<byte>.Empty, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
        var due = clock.TimeUntilNextTimer!.Value;
        clock.Advance(due);
        AssertGood(await flush);
        return due;
    }

    private static async Task<(uint Start, uint StartKBps, uint End, uint EndKBps)> NominalWritePerformanceAsync(MmcDrive mmc, uint startLba)
    {
        var data = new byte[24];
        await mmc.ExecuteAsync(MmcCommands.GetPerformance(write: true, startLba, 1), DataDirection.FromDevice, data, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(0x02, data[4]); // Write = 1, Except = 0
        return (UInt32At(data, 8), UInt32At(data, 12), UInt32At(data, 16), UInt32At(data, 20));
    }
}
