using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Messages;
using Farm.Testing;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// Faults scripted per phase ("during close", "during format", "while writing after N % of the
/// image"), media removal, power loss and medium change mid-write, and a drive that hangs.
/// </summary>
public sealed class PhaseFaultTests
{
    private const byte Write10Code = 0x2A;
    private static readonly byte[] TestUnitReady = [0x00, 0, 0, 0, 0, 0];
    private static readonly CancellationToken None = CancellationToken.None;

    private static SimulatedDriveOptions SlowDvd => new() { BufferBytes = 64 * 1024, WriteSpeedX = 1, CloseTrackDuration = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task A_fault_during_close_answers_the_close_itself()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd, clock);
        await WriteAndFlushAsync(drive, clock);
        drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Closing), Fault.WithSense(SenseKey.MediumError, 0x72, 0x00));

        AssertSense(await drive.RunAsync(Close(0b001, 1, immediate: true)), SenseKey.MediumError, 0x72, 0x00);
    }

    [Fact]
    public async Task A_fault_during_close_after_one_command_hits_the_test_unit_ready_poll_while_the_close_runs()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, SlowDvd, clock);
        await WriteAndFlushAsync(drive, clock);
        drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Closing).After(1), Fault.WithSense(SenseKey.MediumError, 0x72, 0x00));
        AssertGood(await drive.RunAsync(TestUnitReady)); // idle: not in the closing phase

        AssertGood(await drive.RunAsync(Close(0b001, 1, immediate: true)));
        clock.Advance(TimeSpan.FromSeconds(1));

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.MediumError, 0x72, 0x00);
        clock.Advance(TimeSpan.FromSeconds(1));
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task A_fault_during_blanking_hits_the_poll_and_not_the_idle_drive()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.CdRw, new SimulatedDriveOptions { MinimalBlankDuration = TimeSpan.FromSeconds(60) }, clock);
        drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Blanking).After(1), Fault.WithSense(SenseKey.HardwareError, 0x44, 0x00));
        AssertGood(await drive.RunAsync(TestUnitReady));

        AssertGood(await drive.RunAsync([0xA1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.HardwareError, 0x44, 0x00);
    }

    [Fact]
    public async Task A_power_calibration_failure_during_send_opc_fails_the_disc()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        rig.Drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Calibrating), Fault.WithSense(SenseKey.MediumError, 0x73, 0x03));

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.Mmc.SendOpcAsync(None));

        Assert.Same(ImapiErrors.V1InitializeWrite, failure.Error.Error);
        Assert.Equal(Disposition.FailDisc, failure.Error.Disposition);
    }

    [Fact]
    public async Task Media_removed_while_writing_after_40_percent_of_the_image_ends_the_burn_there()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        rig.Drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Writing).WhenImageWritten(0, 160, 40), Fault.MediumRemoved());
        await rig.Mmc.GetMediaEventAsync(None);

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.WritePatternAsync(0, 160));

        Assert.Equal("2/3A/00", failure.Error.Sense?.Code);
        Assert.Null(rig.Drive.CurrentDisc);
        Assert.Equal(MediaEventCode.MediaRemoval, (await rig.Mmc.GetMediaEventAsync(None)).Code);
        Assert.Equal("2/3A/00", await MmcRig.SenseOfAsync(() => rig.Mmc.TestUnitReadyAsync(None)));
    }

    [Fact]
    public async Task A_power_loss_mid_write_loses_the_buffer_and_resets_the_write_parameters()
    {
        var clock = new ManualTimeProvider();
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR, SlowDvd with { BufferUnderrunFree = true }, clock);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { BufferUnderrunFree = false }, None);
        await rig.WritePatternAsync(0, 32); // both chunks still in the buffer: recording has not started
        var disc = rig.Disc;
        rig.Drive.Faults.InjectOnce(FaultTrigger.On(Write10Code), Fault.PowerLoss());

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.WritePatternAsync(32, 16));

        Assert.Equal("6/29/00", failure.Error.Sense?.Code);
        Assert.Equal(Disposition.FailDisc, failure.Error.Disposition);
        Assert.Equal(0L, disc.NextWritableAddress);
        Assert.True((await rig.Mmc.ModeSenseWriteParametersAsync(None)).BufferUnderrunFree);
    }

    [Fact]
    public async Task A_medium_change_mid_write_is_the_wrong_disc_and_loses_the_buffer()
    {
        var clock = new ManualTimeProvider();
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential, SlowDvd, clock);
        await rig.WritePatternAsync(0, 32);
        rig.Drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Writing), Fault.MediumChanged());

        var failure = await Assert.ThrowsAsync<DeviceException>(() => rig.WritePatternAsync(32, 16));

        Assert.Same(ImapiErrors.V1WrongDisc, failure.Error.Error);
        Assert.Equal(Disposition.FailDisc, failure.Error.Disposition);
        Assert.Equal(0L, rig.Disc.NextWritableAddress);
    }

    [Fact]
    public async Task A_hung_drive_answers_nothing_until_the_command_timeout_has_passed_on_its_clock()
    {
        var clock = new ManualTimeProvider();
        await using var rig = await MmcRig.StartAsync(
            Profile.DvdPlusR, clock: clock, mmcOptions: new MmcDriveOptions { CommandTimeout = TimeSpan.FromSeconds(30) });
        rig.Drive.Faults.InjectOnce(FaultTrigger.AnyCommand, Fault.Hang());

        var poll = rig.Mmc.TestUnitReadyAsync(None);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(poll.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        var failure = await Assert.ThrowsAsync<DeviceException>(() => poll);
        Assert.Same(ImapiErrors.RecorderCommandTimeout, failure.Error.Error);
        Assert.Equal(Disposition.DriveToMaintenance, failure.Error.Disposition);
    }

    [Fact]
    public async Task Each_phase_trigger_ignores_commands_in_other_phases()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        rig.Drive.Faults.InjectPersistent(FaultTrigger.During(DrivePhase.Formatting), Fault.WithSense(SenseKey.HardwareError, 0x44, 0x00));

        await rig.WritePatternAsync(0, 32);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);

        Assert.Equal(0, rig.Drive.Faults.Fired);
    }

    /// <summary>One chunk written and flushed on the manual clock.</summary>
    private static async Task WriteAndFlushAsync(SimulatedDrive drive, ManualTimeProvider clock)
    {
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        var flush = drive.RunAsync(SynchronizeCache());
        clock.Advance(TimeSpan.FromSeconds(1));
        AssertGood(await flush);
    }
}
