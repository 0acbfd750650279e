using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Spc;
using Farm.Device.Transports;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// MODE SENSE(10) / MODE SELECT(10) on the simulator through <see cref="MmcDrive"/>: the write
/// parameters page (05h, MMC-6 table "Write Parameters Mode Page") and the capabilities page (2Ah).
/// </summary>
public sealed class ModePageTests
{
    [Fact]
    public async Task Mode_sense_reports_the_power_on_write_parameters()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential, new SimulatedDriveOptions { UnlimitedSpeed = true, BufferUnderrunFree = false });

        var page = await rig.Mmc.ModeSenseWriteParametersAsync(CancellationToken.None);

        Assert.Equal(WriteType.Incremental, page.WriteType);
        Assert.False(page.BufferUnderrunFree);
        Assert.False(page.TestWrite);
        Assert.Equal(MultiSession.NoNextSession, page.MultiSession);
        Assert.Equal(DataBlockType.Mode1, page.DataBlockType);
    }

    [Fact]
    public async Task Mode_select_of_page_05h_changes_what_mode_sense_reports()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        var wanted = WriteParameters.DataDefaults with
        {
            WriteType = WriteType.TrackAtOnce,
            TrackMode = TrackMode.DataUninterrupted,
            MultiSession = MultiSession.NextSessionAllowed,
            BufferUnderrunFree = false,
        };

        await rig.Mmc.ModeSelectWriteParametersAsync(wanted, CancellationToken.None);
        var page = await rig.Mmc.ModeSenseWriteParametersAsync(CancellationToken.None);

        Assert.Equal(WriteType.TrackAtOnce, page.WriteType);
        Assert.Equal(TrackMode.DataUninterrupted, page.TrackMode);
        Assert.Equal(MultiSession.NextSessionAllowed, page.MultiSession);
        Assert.False(page.BufferUnderrunFree);
        Assert.False(rig.Drive.BufferUnderrunFree);
    }

    public static TheoryData<Profile, string> InvalidCombinations => new()
    {
        { Profile.DvdPlusR, "test write on DVD+R" },
        { Profile.BdRSequential, "test write on BD-R" },
        { Profile.DvdRSequential, "track at once on DVD-R" },
        { Profile.DvdPlusR, "session at once on DVD+R" },
        { Profile.DvdRSequential, "raw 2352-byte blocks on DVD-R" },
        { Profile.CdR, "audio blocks in a data track" },
        { Profile.CdR, "fixed packets without a packet size" },
        { Profile.DvdRSequential, "multi-session 01b outside CD" },
    };

    [Theory]
    [MemberData(nameof(InvalidCombinations))]
    public async Task A_write_parameters_combination_the_medium_does_not_allow_is_an_invalid_field_in_the_parameter_list(Profile profile, string combination)
    {
        await using var rig = await MmcRig.StartAsync(profile);
        var data = WriteParameters.DataDefaults;
        var page = combination switch
        {
            "test write on DVD+R" or "test write on BD-R" => data with { TestWrite = true },
            "track at once on DVD-R" => data with { WriteType = WriteType.TrackAtOnce },
            "session at once on DVD+R" => data with { WriteType = WriteType.SessionAtOnce },
            "raw 2352-byte blocks on DVD-R" => data with { DataBlockType = DataBlockType.Raw2352 },
            "audio blocks in a data track" => data with { DataBlockType = DataBlockType.Raw2352, TrackMode = TrackMode.DataUninterrupted },
            "fixed packets without a packet size" => data with { FixedPacket = true, PacketSize = 0 },
            _ => data with { MultiSession = MultiSession.NoNextSessionB0Pointer },
        };

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.Mmc.ModeSelectWriteParametersAsync(page, CancellationToken.None));

        Assert.Equal("5/26/00", failure.Error.Sense?.Code);
        Assert.Same(ImapiErrors.RecorderInvalidModeParameters, failure.Error.Error);
    }

    [Fact]
    public async Task A_rejected_mode_select_leaves_the_page_as_it_was()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        await Assert.ThrowsAsync<DeviceException>(() => rig.Mmc.ModeSelectWriteParametersAsync(
            WriteParameters.DataDefaults with { BufferUnderrunFree = false, TestWrite = true }, CancellationToken.None));

        Assert.True((await rig.Mmc.ModeSenseWriteParametersAsync(CancellationToken.None)).BufferUnderrunFree);
    }

    [Fact]
    public async Task Test_write_is_accepted_on_cd_r()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { TestWrite = true }, CancellationToken.None);

        Assert.True((await rig.Mmc.ModeSenseWriteParametersAsync(CancellationToken.None)).TestWrite);
    }

    [Fact]
    public async Task A_page_length_other_than_32h_is_an_invalid_field_in_the_parameter_list()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdRSequential);
        var list = WriteParameters.DataDefaults.ToModeSelectParameterList()[..(8 + 2 + 0x30)];
        list[9] = 0x30;

        AssertSense(await drive.WriteAsync(ModeSelect(list.Length), list), SenseKey.IllegalRequest, 0x26, 0x00);
    }

    [Fact]
    public async Task Mode_select_without_the_page_format_bit_is_an_invalid_field_in_the_cdb()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdRSequential);
        var list = WriteParameters.DataDefaults.ToModeSelectParameterList();
        var cdb = ModeSelect(list.Length);
        cdb[1] = 0x00;

        AssertSense(await drive.WriteAsync(cdb, list), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Mode_select_asking_to_save_the_pages_is_an_invalid_field_in_the_cdb()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdRSequential);
        var list = WriteParameters.DataDefaults.ToModeSelectParameterList();
        var cdb = ModeSelect(list.Length);
        cdb[1] = 0x11;

        AssertSense(await drive.WriteAsync(cdb, list), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task A_parameter_list_cut_inside_the_page_is_a_parameter_list_length_error()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdRSequential);
        var list = WriteParameters.DataDefaults.ToModeSelectParameterList()[..30];

        AssertSense(await drive.WriteAsync(ModeSelect(list.Length), list), SenseKey.IllegalRequest, 0x1A, 0x00);
    }

    [Fact]
    public async Task Block_descriptors_in_a_mode_select_are_an_invalid_field_in_the_parameter_list()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdRSequential);
        var list = WriteParameters.DataDefaults.ToModeSelectParameterList();
        list[7] = 8;

        AssertSense(await drive.WriteAsync(ModeSelect(list.Length), list), SenseKey.IllegalRequest, 0x26, 0x00);
    }

    [Fact]
    public async Task Mode_sense_of_saved_values_is_saving_parameters_not_supported()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        var cdb = SpcCommands.ModeSense10(WriteParameters.PageCode, WriteParameters.ModeSenseLength, ModePageControl.Saved);

        var failure = await Assert.ThrowsAsync<DeviceException>(() =>
            rig.Mmc.ExecuteAsync(cdb, DataDirection.FromDevice, new byte[WriteParameters.ModeSenseLength], TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.Equal("5/39/00", failure.Error.Sense?.Code);
    }

    [Fact]
    public async Task Mode_sense_of_a_page_the_drive_does_not_have_is_an_invalid_field_in_the_cdb()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        AssertSense(await drive.RunAsync(SpcCommands.ModeSense10(0x1D, 255).Bytes.ToArray(), new byte[255]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task The_changeable_mask_of_page_05h_marks_bufe_and_the_write_type_changeable()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var data = await drive.ReadDataAsync(SpcCommands.ModeSense10(0x05, 60, ModePageControl.Changeable).Bytes.ToArray(), 60);

        Assert.Equal(0x05, data[8]);
        Assert.Equal(0x7F, data[10]); // BUFE, LS_V, Test Write, Write Type
    }

    [Fact]
    public async Task The_capabilities_page_reports_the_buffer_and_the_write_speeds_of_the_loaded_medium()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR, new SimulatedDriveOptions { UnlimitedSpeed = true, BufferBytes = 8 * 1024 * 1024 });

        var capabilities = await rig.Mmc.ReadCapabilitiesAsync(CancellationToken.None);

        Assert.Equal(8192, capabilities.BufferSizeKiB);
        Assert.True(capabilities.BufferUnderrunProtection);
        Assert.True(capabilities.WritesDvdR);
        Assert.Equal(16 * 1385, capabilities.CurrentWriteSpeedKBps);
        Assert.Equal(16 * 1385, capabilities.WriteSpeeds[0].WriteSpeedKBps);
        Assert.Equal(RotationControl.ConstantAngularVelocity, capabilities.WriteSpeeds[0].RotationControl);
        Assert.Contains(capabilities.WriteSpeeds, s => s.WriteSpeedKBps == 4 * 1385 && s.RotationControl == RotationControl.ConstantLinearVelocity);
    }

    [Fact]
    public async Task The_capabilities_page_sent_back_unchanged_is_accepted_and_changed_is_refused()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        var sensed = await drive.ReadDataAsync(SpcCommands.ModeSense10(0x2A, 255).Bytes.ToArray(), 255);
        var list = sensed.ToArray();
        list[0] = 0;
        list[1] = 0;

        AssertGood(await drive.WriteAsync(ModeSelect(list.Length), list));
        list[8 + 12] ^= 0x01; // buffer size
        AssertSense(await drive.WriteAsync(ModeSelect(list.Length), list), SenseKey.IllegalRequest, 0x26, 0x00);
    }

    private static byte[] ModeSelect(int length) => SpcCommands.ModeSelect10((ushort)length).Bytes.ToArray();
}
