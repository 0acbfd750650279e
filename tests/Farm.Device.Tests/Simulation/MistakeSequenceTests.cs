using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>Write sequences with a known mistake fail the way a drive fails them, through <see cref="MmcDrive"/>.</summary>
public sealed class MistakeSequenceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Closing_without_synchronize_cache_is_a_command_sequence_error()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        await rig.WritePatternAsync(0, 32);

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None));

        Assert.Equal("5/2C/00", failure.Error.Sense?.Code);
        Assert.Equal(Disposition.FailDisc, failure.Error.Disposition);
    }

    [Fact]
    public async Task Writing_anywhere_but_the_next_writable_address_is_an_invalid_address_for_write()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        await rig.WritePatternAsync(0, 32);

        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.WritePatternAsync(48, 16)));
    }

    [Fact]
    public async Task A_write_running_past_a_reserved_track_is_end_of_user_area()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        await rig.Mmc.ReserveTrackAsync(32, None);
        await rig.WritePatternAsync(0, 16);

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.Mmc.WriteAsync(16, Pattern(16, 32), streamingWrite12: false, None));

        Assert.Equal("5/63/00", failure.Error.Sense?.Code);
        Assert.Same(ImapiErrors.V1DiscFull, failure.Error.Error);
    }

    [Fact]
    public async Task A_write_after_the_end_of_a_full_reserved_track_is_an_invalid_address_for_write()
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRSequential);
        await rig.Mmc.ReserveTrackAsync(32, None);
        await rig.WritePatternAsync(0, 32);

        // The next track starts at the cluster after the reservation, so LBA 32 is its NWA; LBA 33 is no one's.
        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.WritePatternAsync(33, 16)));
    }

    [Fact]
    public async Task Disc_at_once_without_a_reserved_track_is_a_command_sequence_error()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { WriteType = WriteType.SessionAtOnce }, None);

        Assert.Equal("5/2C/00", await MmcRig.SenseOfAsync(() => rig.WritePatternAsync(0, 16)));
    }

    [Fact]
    public async Task A_second_reservation_in_disc_at_once_is_refused()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { WriteType = WriteType.SessionAtOnce }, None);
        await rig.Mmc.ReserveTrackAsync(1024, None);

        Assert.Equal("5/72/05", await MmcRig.SenseOfAsync(() => rig.Mmc.ReserveTrackAsync(1024, None)));
    }

    [Fact]
    public async Task Closing_a_session_with_a_partly_written_reserved_track_is_refused()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { WriteType = WriteType.SessionAtOnce }, None);
        await rig.Mmc.ReserveTrackAsync(64, None);
        await rig.WritePatternAsync(0, 32);
        await rig.Mmc.SynchronizeCacheAsync(None);

        Assert.Equal("5/72/04", await MmcRig.SenseOfAsync(() => rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None)));
        Assert.Equal("5/72/04", await MmcRig.SenseOfAsync(() => rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None)));
    }

    [Fact]
    public async Task Reserving_a_track_on_a_disc_that_already_holds_data_in_it_is_a_command_sequence_error()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        await rig.WritePatternAsync(0, 16);

        Assert.Equal("5/2C/00", await MmcRig.SenseOfAsync(() => rig.Mmc.ReserveTrackAsync(64, None)));
    }

    [Fact]
    public async Task A_write_type_left_from_a_cd_is_an_illegal_mode_for_the_dvd_minus_r_loaded_next()
    {
        await using var drive = FastDrive();
        drive.Insert(Simulation.SimulatedDiscFactory.Blank(Profile.CdR));
        var mmc = new MmcDrive(drive, TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });
        await mmc.WaitUntilReadyAsync(afterMediumChange: true, None);
        await mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { WriteType = WriteType.TrackAtOnce }, None);
        drive.Eject();
        drive.Insert(Simulation.SimulatedDiscFactory.Blank(Profile.DvdRSequential));
        await mmc.WaitUntilReadyAsync(afterMediumChange: true, None);

        var failure = await Assert.ThrowsAsync<DeviceException>(() => mmc.WriteAsync(0, Pattern(0, 16), streamingWrite12: false, None));

        Assert.Equal("5/64/00", failure.Error.Sense?.Code);
        Assert.Same(ImapiErrors.V1CannotWriteToMedia, failure.Error.Error);
    }

    [Fact]
    public async Task Writing_a_finalised_disc_is_an_invalid_address_for_write()
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRSequential);
        await rig.WritePatternAsync(0, 32);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.FinalizeDisc, 0, None);

        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.WritePatternAsync(32, 32)));
    }
}
