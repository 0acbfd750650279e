using Farm.Device.Mmc;
using Farm.Device.Sbc;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// One round trip per command of issue 3's list: the real <see cref="MmcDrive"/> method builds the
/// CDB, the simulator decodes and answers it, the method parses the answer.
/// </summary>
public sealed class MmcCommandRoundTripTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Test_unit_ready_and_request_sense_report_a_ready_drive()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        await rig.Mmc.TestUnitReadyAsync(None);
        var sense = await rig.Mmc.RequestSenseAsync(None);

        Assert.Equal("0/00/00", sense.Code);
    }

    [Fact]
    public async Task Inquiry_returns_the_configured_identity()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        var inquiry = await rig.Mmc.InquiryAsync(None);

        Assert.Equal(0x05, inquiry.PeripheralDeviceType);
        Assert.Equal("BURNFARM", inquiry.Vendor);
    }

    [Fact]
    public async Task Start_stop_unit_ejects_and_reloads_the_disc_and_prevent_allow_locks_the_tray()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        await rig.Mmc.PreventMediumRemovalAsync(true, None);
        Assert.Equal("5/53/02", await MmcRig.SenseOfAsync(() => rig.Mmc.StartStopUnitAsync(loadEject: true, start: false, None)));
        await rig.Mmc.PreventMediumRemovalAsync(false, None);
        await rig.Mmc.StartStopUnitAsync(loadEject: true, start: false, None);
        Assert.NotNull(rig.Drive.DiscInTray);
        await rig.Mmc.StartStopUnitAsync(loadEject: true, start: true, None);

        Assert.NotNull(rig.Drive.CurrentDisc);
    }

    [Fact]
    public async Task Get_configuration_reports_the_current_profile_and_its_features()
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRSequential);

        var configuration = await rig.Mmc.GetConfigurationAsync(ConfigurationRequest.Current, 0, None);

        Assert.Equal(Profile.BdRSequential, configuration.CurrentProfile);
        Assert.Contains(configuration.Features, f => f.Code == 0x0041 && f.Current);
        Assert.Equal(Profile.BdRSequential, await rig.Mmc.GetCurrentProfileAsync(None));
    }

    [Fact]
    public async Task Get_event_status_notification_reports_new_media_then_no_change()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        var first = await rig.Mmc.GetMediaEventAsync(None);
        var second = await rig.Mmc.GetMediaEventAsync(None);

        Assert.Equal(MediaEventCode.NewMedia, first.Code);
        Assert.True(first.MediaPresent);
        Assert.Equal(MediaEventCode.NoChange, second.Code);
        Assert.Equal(NotificationClasses.Media, first.SupportedClasses);
    }

    [Fact]
    public async Task Get_event_status_notification_reports_an_eject_request_and_a_removal_with_the_tray_open()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        await rig.Mmc.GetMediaEventAsync(None);

        rig.Drive.PressEjectButton();
        Assert.Equal(MediaEventCode.EjectRequest, (await rig.Mmc.GetMediaEventAsync(None)).Code);
        await rig.Mmc.StartStopUnitAsync(loadEject: true, start: false, None);
        var removed = await rig.Mmc.GetMediaEventAsync(None);

        Assert.Equal(MediaEventCode.MediaRemoval, removed.Code);
        Assert.False(removed.MediaPresent);
        Assert.True(removed.DoorOpen);
    }

    [Fact]
    public async Task Get_event_status_notification_passes_a_pending_unit_attention_by()
    {
        await using var drive = FastDrive();
        drive.Insert(SimulatedDisc.Blank(DvdPlusR, "d", new MemoryMediaStore()));
        var mmc = new MmcDrive(drive, TimeProvider.System);

        Assert.Equal(MediaEventCode.NewMedia, (await mmc.GetMediaEventAsync(None)).Code);
        Assert.Equal("6/28/00", await MmcRig.SenseOfAsync(() => mmc.TestUnitReadyAsync(None)));
    }

    [Fact]
    public async Task Get_event_status_notification_without_the_polled_bit_is_an_invalid_field_in_the_cdb()
    {
        await using var drive = await ReadyDriveAsync();

        AssertSense(await drive.RunAsync([0x4A, 0x00, 0, 0, 0x10, 0, 0, 0, 8, 0], new byte[8]), Farm.Device.Sense.SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Read_disc_and_track_information_describe_a_blank_disc_by_track_lba_and_session()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);

        var disc = await rig.Mmc.ReadDiscInformationAsync(None);
        var byNumber = await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 1, None);
        var byLba = await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.LogicalBlockAddress, 0, None);
        var bySession = await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.SessionNumber, 1, None);

        Assert.Equal(DiscStatus.Empty, disc.Status);
        Assert.True(byNumber.Blank);
        Assert.True(byNumber.NextWritableAddressValid);
        Assert.Equal(byNumber, byLba);
        Assert.Equal(byNumber, bySession);
    }

    [Fact]
    public async Task Mode_sense_and_mode_select_round_trip_the_write_parameters_and_capabilities()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);

        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { WriteType = WriteType.SessionAtOnce }, None);

        Assert.Equal(WriteType.SessionAtOnce, (await rig.Mmc.ModeSenseWriteParametersAsync(None)).WriteType);
        Assert.NotEmpty((await rig.Mmc.ReadCapabilitiesAsync(None)).WriteSpeeds);
    }

    [Fact]
    public async Task Get_performance_set_cd_speed_and_set_streaming_select_write_speeds()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        var speeds = await rig.Mmc.GetWriteSpeedsAsync(None);

        await rig.Mmc.SetCdSpeedAsync(0xFFFF, (ushort)speeds[^1].WriteSpeedKBps, RotationControl.ConstantLinearVelocity, None);
        Assert.Equal(speeds[^1].WriteSpeedKBps, (await rig.Mmc.ReadCapabilitiesAsync(None)).CurrentWriteSpeedKBps);
        await rig.Mmc.SetStreamingAsync(StreamingPerformance.ForSpeeds(speeds[0].EndLba, speeds[1].WriteSpeedKBps, speeds[1].WriteSpeedKBps), None);

        Assert.Equal(speeds[1].WriteSpeedKBps, (await rig.Mmc.ReadCapabilitiesAsync(None)).CurrentWriteSpeedKBps);
    }

    [Fact]
    public async Task Reserve_track_and_send_opc_prepare_a_dvd_minus_r()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);

        await rig.Mmc.SendOpcAsync(None);
        await rig.Mmc.ReserveTrackAsync(1000, None);
        var reserved = await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 1, None);

        Assert.Equal(1008u, reserved.TrackSize); // rounded up to a 16-block ECC block
        Assert.Equal(1008u, reserved.FreeBlocks);
        Assert.Equal(1008u, (await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 2, None)).TrackStartAddress);
    }

    [Fact]
    public async Task Write_10_write_12_synchronize_cache_close_and_the_reads_round_trip_a_dvd_plus_r()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        await rig.Mmc.WriteAsync(0, Pattern(0, 16), streamingWrite12: false, None);
        await rig.Mmc.WriteAsync(16, Pattern(16, 16), streamingWrite12: true, None);
        var buffer = await rig.Mmc.ReadBufferCapacityAsync(None);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 1, None);
        var capacity = await rig.Mmc.ReadCapacityAsync(None);
        var read10 = await rig.ReadAsync(0, 32);
        var read12 = new byte[16 * 2048];
        await rig.Mmc.ExecuteAsync(SbcCommands.Read12(16, 16), DataDirection.FromDevice, read12, TimeSpan.FromSeconds(5), None);

        Assert.Equal((uint)rig.Drive.Options.BufferBytes, buffer.BufferLength);
        Assert.Equal(31u, capacity.LastLogicalBlockAddress);
        Assert.Equal([.. Pattern(0, 16), .. Pattern(16, 16)], read10);
        Assert.Equal(Pattern(16, 16), read12);
    }

    [Fact]
    public async Task Blank_format_unit_and_read_format_capacities_round_trip()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRwSequential);
        var offered = (await rig.Mmc.ReadFormatCapacitiesAsync(None)).Offered(FormatType.RewritableFull)!;

        await rig.Mmc.FormatAsync(FormatDescriptor.From(offered), immediate: false, None);
        Assert.Equal(Profile.DvdRwRestrictedOverwrite, await rig.Mmc.GetCurrentProfileAsync(None));
        await rig.Mmc.BlankAsync(BlankingType.Minimal, immediate: false, None);

        Assert.Equal(Profile.DvdRwSequential, await rig.Mmc.GetCurrentProfileAsync(None));
    }
}
