using Farm.Device.Simulation;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Testing;

namespace Farm.Node.Tests.Recording;

/// <summary>Pause, resume, maintenance, and errors that need a person.</summary>
public sealed class RecorderOperatorTests : IDisposable
{
    private readonly TempDirectory folder = new("recorder-operator");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_paused_drive_refuses_copies_until_it_is_resumed()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Host.PauseDrive(NodeRig.DriveIdOf(1), "cleaning the lens");
        await rig.WaitForStateAsync(RecorderState.Paused);
        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256))));
        var refused = await rig.WaitForDriveAsync<BurnFailed>();
        rig.Host.ResumeDrive(NodeRig.DriveIdOf(1), "alice");
        await rig.WaitForDriveAsync<DriveResumed>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(RecorderActor.RefusedPhase, refused.Phase);
        Assert.Contains("Paused", refused.Reason.Message, StringComparison.Ordinal);
        var events = await rig.DriveEventsAsync();
        Assert.Equal(new DrivePaused(NodeRig.DriveIdOf(1), DriveHolds.Operator, "cleaning the lens"), events.OfType<DrivePaused>().Single());
        Assert.Equal(new DriveResumed(NodeRig.DriveIdOf(1), DriveHolds.Operator, "alice"), events.OfType<DriveResumed>().Single());
        Assert.IsType<DriveIdle>(events[^1]);
        Assert.DoesNotContain(events, e => e is BurnAssigned);
    }

    [Fact]
    public async Task Maintenance_is_entered_and_left_on_command_and_survives_a_restart()
    {
        await using (var rig = await NodeRig.StartAsync(new RigOptions(), folder))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Host.SetMaintenance(NodeRig.DriveIdOf(1), true, "firmware update");
            await rig.WaitForStateAsync(RecorderState.Maintenance);
        }

        await using var again = await NodeRig.StartAsync(new RigOptions(), folder);
        await again.WaitForDriveAsync<DriveCameOnline>(nth: 2);
        await again.WaitForStateAsync(RecorderState.Maintenance);
        again.Host.SetMaintenance(NodeRig.DriveIdOf(1), false, "bob");
        await again.WaitForDriveAsync<DriveLeftMaintenance>();
        await again.WaitForStateAsync(RecorderState.Idle);

        var events = await again.DriveEventsAsync();
        Assert.Equal("firmware update", events.OfType<DriveEnteredMaintenance>().Single().Why);
        Assert.IsType<DriveIdle>(events[^1]);
    }

    [Fact]
    public async Task No_disc_in_the_drive_raises_an_operator_alert_and_pauses_the_drive_until_resumed()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectOnce(FaultTrigger.On(0x00), Fault.MediumRemoved());

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256))));
        var alert = await rig.WaitForDriveAsync<DriveAlertRaised>();
        await rig.WaitForStateAsync(RecorderState.Paused);

        Assert.Equal("E_IMAPI_RECORDER_MEDIA_NO_MEDIA", alert.Alert);
        var events = await rig.DriveEventsAsync();
        Assert.Equal(Disposition.NeedsOperator, events.OfType<BurnFailed>().Single().Reason.Disposition);
        Assert.Equal(DriveHolds.Drive, events.OfType<DrivePaused>().Single().Hold);
        Assert.Equal(Bins.Reject, events.OfType<DiscUnloaded>().Single().Bin);
        Assert.Equal([DriveHolds.Drive], rig.Drive().Current.Holds);

        rig.Host.ResumeDrive(NodeRig.DriveIdOf(1), "operator");
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), copy: 2)));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 2)).Bin);
    }

    [Fact]
    public async Task Three_discs_failing_in_a_row_put_the_drive_in_maintenance()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectPersistent(FaultTrigger.On(0x2A).After(2), Fault.WithSense(Farm.Device.Sense.SenseKey.MediumError, 0x0C, 0x00));

        for (var copy = 1; copy <= 3; copy++)
        {
            rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), copy: copy)));
        }

        var maintenance = await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        await rig.WaitForStateAsync(RecorderState.Maintenance);

        Assert.StartsWith("3 discs failed in a row", maintenance.Why, StringComparison.Ordinal);
        Assert.Equal(3, (await rig.DriveEventsAsync()).OfType<DiscUnloaded>().Count(u => u.Bin == Bins.Reject));
    }

    [Fact]
    public async Task The_status_shows_speed_and_buffer_fill_while_writing()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { TimeScale = 1, WriteSpeedX = 8, DriveBufferBytes = 256 * 1024 }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        // 64 MiB at 8x DVD is about six seconds of writing: a wide window even on a busy machine.
        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(32768))));
        await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba > 2048);
        var status = rig.Drive().Current;

        Assert.Equal(RecorderState.Writing, status.State);
        Assert.Equal(("job-1", 1, 32768L), (status.JobId, status.Copy, status.TotalBlocks));
        Assert.InRange(status.BufferFill, 0.01, 1.0); // the reader runs ahead of an 8x drive
        Assert.InRange(status.CurrentBytesPerSecond, 8 * 1_385_000 * 0.2, 8 * 1_385_000 * 1.2); // never faster than the drive; slower when the test machine is busy

        using var abort = new CancellationTokenSource();
        await abort.CancelAsync();
        await rig.Host.ShutdownAsync(abort.Token);
    }
}
