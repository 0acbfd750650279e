using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Testing;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>Scripted faults: what the command that meets one gets, and what the drive is like afterwards.</summary>
public sealed class FaultInjectionTests
{
    private const byte Write10Code = 0x2A;
    private static readonly byte[] TestUnitReady = [0x00, 0, 0, 0, 0, 0];

    [Fact]
    public async Task An_injected_sense_answers_the_matching_command_once()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectOnce(FaultTrigger.On(Write10Code), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x00));

        AssertSense(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)), SenseKey.MediumError, 0x0C, 0x00);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        Assert.Equal(0, drive.Faults.Pending);
        Assert.Equal(1, drive.Faults.Fired);
    }

    [Fact]
    public async Task A_fault_for_another_opcode_leaves_commands_alone()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectOnce(FaultTrigger.On(0x35), Fault.WithSense(SenseKey.HardwareError, 0x44, 0x00));

        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        AssertSense(await drive.RunAsync(SynchronizeCache()), SenseKey.HardwareError, 0x44, 0x00);
    }

    [Fact]
    public async Task A_fault_after_n_commands_lets_the_first_n_pass()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectOnce(FaultTrigger.On(Write10Code).After(2), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x00));

        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)));
        AssertSense(await drive.WriteAsync(Write10(32, 16), Pattern(32, 16)), SenseKey.MediumError, 0x0C, 0x00);
    }

    [Fact]
    public async Task A_fault_waiting_for_an_address_fires_once_the_disc_is_recorded_that_far()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectOnce(FaultTrigger.On(Write10Code).WhenRecordedUpTo(32), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x00));

        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)));
        AssertSense(await drive.WriteAsync(Write10(32, 16), Pattern(32, 16)), SenseKey.MediumError, 0x0C, 0x00);
    }

    [Fact]
    public async Task A_persistent_fault_answers_every_matching_command_until_cleared()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectPersistent(FaultTrigger.On(0x00), Fault.WithSense(SenseKey.NotReady, 0x04, 0x01, progress: 0x8000));

        var first = await drive.RunAsync(TestUnitReady);
        AssertSense(first, SenseKey.NotReady, 0x04, 0x01);
        Assert.Equal(0x8000, Progress(first));
        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.NotReady, 0x04, 0x01);

        drive.Faults.Clear();
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task An_injected_timeout_throws_a_transport_timeout()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectOnce(FaultTrigger.On(Write10Code), Fault.Timeout());

        var failure = await Assert.ThrowsAsync<ScsiTransportException>(async () => await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        Assert.Equal(TransportFailure.Timeout, failure.Failure);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
    }

    [Fact]
    public async Task An_injected_device_loss_throws_device_gone()
    {
        await using var drive = await ReadyDriveAsync();
        drive.Faults.InjectOnce(FaultTrigger.AnyCommand, Fault.DeviceGone());

        var failure = await Assert.ThrowsAsync<ScsiTransportException>(() => drive.RunAsync(TestUnitReady));

        Assert.Equal(TransportFailure.DeviceGone, failure.Failure);
    }

    [Fact]
    public async Task A_medium_removed_mid_write_leaves_the_drive_without_a_disc()
    {
        await using var drive = await ReadyDriveAsync();
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        drive.Faults.InjectOnce(FaultTrigger.On(Write10Code), Fault.MediumRemoved());

        AssertSense(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)), SenseKey.NotReady, 0x3A, 0x00);

        Assert.Null(drive.CurrentDisc);
        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.NotReady, 0x3A, 0x00);
    }

    [Fact]
    public async Task A_power_loss_reports_a_reset_and_loses_what_was_still_in_the_buffer()
    {
        var clock = new ManualTimeProvider();
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR, new SimulatedDriveOptions { WriteSpeedX = 1 }, clock);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)));
        drive.Faults.InjectOnce(FaultTrigger.AnyCommand, Fault.PowerLoss());

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.UnitAttention, 0x29, 0x00);

        var disc = drive.CurrentDisc!;
        Assert.Equal(0, disc.NextWritableAddress);
        Assert.Equal(DiscStatus.Empty, disc.Status);
        Assert.Equal(0, disc.Store.WrittenExtentBlocks);
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task Faults_can_be_injected_from_another_thread_while_a_burn_runs()
    {
        await using var drive = await ReadyDriveAsync();
        var midBurn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var injected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var burn = Task.Run(async () =>
        {
            for (uint lba = 0; lba < 16 * 400; lba += 16)
            {
                if (lba == 16 * 10)
                {
                    midBurn.SetResult();
                    await injected.Task;
                }

                var result = await drive.WriteAsync(Write10(lba, 16), Pattern(lba, 16));
                if (!result.IsGood)
                {
                    return (lba, Describe(result));
                }
            }

            return (16u * 400, "finished");
        });

        await midBurn.Task;
        drive.Faults.InjectOnce(FaultTrigger.On(Write10Code).WhenRecordedUpTo(16 * 200), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x00));
        injected.SetResult();

        Assert.Equal((16u * 200, "3/0C/00"), await burn);
    }
}
