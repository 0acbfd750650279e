using Farm.Device.Simulation;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>Pause, resume, maintenance (the controller's DriveCommand), and errors that need a person.</summary>
public sealed class RecorderOperatorSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private static DriveCommand Command(DriveAction action, string by = "alice", string why = "") => new(NodeRig.DriveIdOf(1), action, by, why);

    [Fact]
    public async Task A_paused_drive_refuses_copies_until_it_is_resumed()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(Command(DriveAction.Pause, why: "cleaning the lens"));
        var paused = await rig.WaitForStateAsync(RecorderState.Paused);
        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        var refused = await rig.WaitForDriveAsync<BurnFailed>();
        rig.Tell(Command(DriveAction.Resume));
        await rig.WaitForDriveAsync<DriveResumed>();
        await rig.WaitForStateAsync(RecorderState.Idle);
        await rig.WaitForDriveAsync<DriveIdle>(nth: 2);

        Assert.Equal([DriveHolds.Operator], paused.Holds);
        Assert.Equal(BurnFailed.RefusedPhase, refused.Phase);
        Assert.Contains("Paused", refused.Reason.Message, StringComparison.Ordinal);
        var events = rig.DriveEvents();
        Assert.Equal(new DrivePaused(NodeRig.DriveIdOf(1), DriveHolds.Operator, "cleaning the lens"), events.OfType<DrivePaused>().Single());
        Assert.Equal(new DriveResumed(NodeRig.DriveIdOf(1), DriveHolds.Operator, "alice"), events.OfType<DriveResumed>().Single());
        Assert.IsType<DriveIdle>(events[^1]);
        Assert.DoesNotContain(events, e => e is BurnAssigned);
    }

    [Fact]
    public async Task Maintenance_is_entered_and_left_on_command_and_survives_a_restart()
    {
        var log = new ReportLog();
        await using (var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder, log))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(Command(DriveAction.EnterMaintenance, why: "firmware update"));
            await rig.WaitForStateAsync(RecorderState.Maintenance);
            await rig.StopAsync();
        }

        await using var again = await NodeRig.StartAsync(this, new RigOptions(), Folder, log);
        await again.WaitForDriveAsync<DriveCameOnline>(nth: 2);
        await again.WaitForStateAsync(RecorderState.Maintenance);
        again.Tell(Command(DriveAction.LeaveMaintenance, by: "bob"));
        await again.WaitForDriveAsync<DriveLeftMaintenance>();
        await again.WaitForStateAsync(RecorderState.Idle);
        await again.WaitForDriveAsync<DriveIdle>(nth: 2);

        var events = again.DriveEvents();
        Assert.Equal("firmware update", events.OfType<DriveEnteredMaintenance>().Single().Why);
        Assert.Equal("bob", events.OfType<DriveLeftMaintenance>().Single().By);
        Assert.IsType<DriveIdle>(events[^1]);
    }

    [Fact]
    public async Task No_disc_in_the_drive_raises_an_operator_alert_and_pauses_the_drive_until_resumed()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectOnce(FaultTrigger.On(0x00), Fault.MediumRemoved());

        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        var alert = await rig.WaitForDriveAsync<DriveAlertRaised>();
        var paused = await rig.WaitForStateAsync(RecorderState.Paused);

        Assert.Equal("E_IMAPI_RECORDER_MEDIA_NO_MEDIA", alert.Alert);
        var events = rig.DriveEvents();
        Assert.Equal(Disposition.NeedsOperator, events.OfType<BurnFailed>().Single().Reason.Disposition);
        Assert.Equal(DriveHolds.Drive, events.OfType<DrivePaused>().Single().Hold);
        Assert.Equal(Bins.Reject, events.OfType<DiscUnloaded>().Single().Bin);
        Assert.Equal([DriveHolds.Drive], paused.Holds);

        rig.Tell(Command(DriveAction.Resume, by: "operator"));
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tell(NodeRig.Assignment(rig.Image(256), copy: 2));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 2)).Bin);
    }

    [Fact]
    public async Task Three_discs_failing_in_a_row_put_the_drive_in_maintenance()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectPersistent(FaultTrigger.On(0x2A).After(2), Fault.WithSense(Farm.Device.Sense.SenseKey.MediumError, 0x0C, 0x00));

        for (var copy = 1; copy <= 3; copy++)
        {
            rig.Tell(NodeRig.Assignment(rig.Image(256), copy: copy)); // queued behind the burn in progress, as a mailbox would
        }

        var maintenance = await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        await rig.WaitForStateAsync(RecorderState.Maintenance);

        Assert.StartsWith("3 discs failed in a row", maintenance.Why, StringComparison.Ordinal);
        Assert.Equal(3, rig.DriveEvents().OfType<DiscUnloaded>().Count(u => u.Bin == Bins.Reject));
    }
}
