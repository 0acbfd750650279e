using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Towers;
using Farm.Node.Recording;
using Farm.Node.Tests.Recording;
using Farm.Node.Towers;
using Farm.Testing;

namespace Farm.Node.Tests.Towers;

/// <summary>Tower sensors and faults: alerts, held drives, and the operator who clears them.</summary>
public sealed class TowerFaultTests : IDisposable
{
    private readonly TempDirectory folder = new("tower-faults");

    public void Dispose() => folder.Dispose();

    private static string TowerStream => TowerActor.StreamIdOf(NodeRig.TowerId);

    [Fact]
    public async Task An_empty_input_bin_raises_an_alert_and_pauses_every_drive_of_the_tower_until_refilled_and_cleared()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { Drives = 2, InputBlanks = 1 }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);

        rig.Drive(1).Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256))));
        var alert = await rig.WaitForAsync<TowerAlertRaised>(TowerStream);
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 2);

        Assert.Equal(TowerAlerts.InputEmpty, alert.Alert);
        Assert.Contains("load DVD+R blanks", alert.Message, StringComparison.Ordinal);
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(drive: 1)).Bin); // the disc in progress finished
        Assert.Equal(DriveHolds.Tower, (await rig.WaitForDriveAsync<DrivePaused>(drive: 2)).Hold);
        Assert.Equal(0, (await rig.StreamAsync(TowerStream)).OfType<TowerBinsReported>().Last().InputBlanks);

        // Clearing before the bin is refilled is refused; after, both drives run again.
        var tower = rig.Host.Tower(NodeRig.TowerId);
        Assert.Contains("still empty", await tower.ClearAlertAsync(TowerAlerts.InputEmpty, "alice", CancellationToken.None), StringComparison.Ordinal);
        rig.Tower.Refill(10);
        Assert.Null(await tower.ClearAlertAsync(TowerAlerts.InputEmpty, "alice", CancellationToken.None));
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);

        Assert.Equal(new TowerAlertCleared(NodeRig.TowerId, TowerAlerts.InputEmpty, "alice"), (await rig.StreamAsync(TowerStream)).OfType<TowerAlertCleared>().Single());
        Assert.Equal(1, (await rig.StreamAsync(TowerStream)).OfType<TowerBinsReported>().Last().InputBlanks); // a bin holds no more than its capacity
        rig.Drive(2).Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), copy: 2, drive: 2)));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(drive: 2)).Bin);
    }

    [Fact]
    public async Task An_arm_jam_on_load_needs_an_operator_and_holds_the_towers_drives_until_cleared()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { Drives = 2 }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);
        rig.Tower.JamArm();

        rig.Drive(1).Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256))));
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 2);

        Assert.Equal(("TOWER_ARMJAM", Disposition.NeedsOperator, "Loading"), (failed.Reason.ImapiName, failed.Reason.Disposition, failed.Phase));
        Assert.Equal(TowerAlerts.ArmJam, (await rig.WaitForAsync<TowerAlertRaised>(TowerStream)).Alert);
        Assert.Equal("TOWER_ARMJAM", (await rig.WaitForDriveAsync<DriveAlertRaised>()).Alert);
        Assert.Equal(DriveHolds.Tower, (await rig.WaitForDriveAsync<DrivePaused>(drive: 2)).Hold);
        rig.Drive(2).Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), copy: 2, drive: 2)));
        Assert.Equal(RecorderActor.RefusedPhase, (await rig.WaitForDriveAsync<BurnFailed>(drive: 2)).Phase);

        rig.Tower.ClearJam();
        Assert.Null(await rig.Host.Tower(NodeRig.TowerId).ClearAlertAsync(TowerAlerts.ArmJam, "bob", CancellationToken.None));
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);
        rig.Drive(1).Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), copy: 3)));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 3)).Bin);
    }

    [Fact]
    public async Task A_jam_while_a_verified_disc_waits_for_the_arm_keeps_it_in_the_drive_and_bins_it_good_once_cleared()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { TimeScale = 20 }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512))));
        await rig.WaitForDriveAsync<BurnStarted>(); // closing a DVD+R takes seconds: the jam comes before the unload
        rig.Tower.JamArm();
        await rig.WaitForDriveAsync<DriveAlertRaised>();
        await rig.WaitForStateAsync(RecorderState.Paused);

        var events = await rig.DriveEventsAsync();
        Assert.Single(events.OfType<DiscVerified>());
        Assert.DoesNotContain(events, e => e is DiscUnloaded or BurnFailed);

        rig.Tower.ClearJam();
        Assert.Null(await rig.Host.Tower(NodeRig.TowerId).ClearAlertAsync(TowerAlerts.ArmJam, "carol", CancellationToken.None));
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(Bins.Output, unloaded.Bin);
        Assert.NotNull(unloaded.Sha256);
    }

    [Fact]
    public async Task Two_discs_picked_at_once_raise_their_alert_and_hold_the_tower()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tower.InjectFault(Farm.Device.Towers.TowerFault.PickedTwice);

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256))));
        await rig.WaitForStateAsync(RecorderState.Paused);

        Assert.Equal(TowerAlerts.PickedTwice, (await rig.WaitForAsync<TowerAlertRaised>(TowerStream)).Alert);
        Assert.Equal(Disposition.NeedsOperator, (await rig.WaitForDriveAsync<BurnFailed>()).Reason.Disposition);
    }

    [Fact]
    public async Task The_printer_prints_the_label_with_its_fields_merged_in_about_forty_simulated_seconds()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { HasPrinter = true }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), copy: 4, label: "Release 2.1 / {job} #{copy} / {drive} / {date}")));
        var printed = await rig.WaitForAsync<LabelPrinted>(TowerStream);
        await rig.WaitForDriveAsync<DiscUnloaded>();

        Assert.Matches(@"^Release 2\.1 / job-1 #4 / T1-D1 / \d{4}-\d{2}-\d{2}$", printed.Text);
        Assert.Equal(TimeSpan.FromSeconds(40), printed.Duration);
        Assert.Equal($"{printed.DiscId}: {printed.Text}", Assert.Single(rig.Tower.PrintedLabels));
    }

    [Fact]
    public async Task A_printer_fault_raises_an_alert_and_the_good_disc_stays_in_the_output_bin()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { HasPrinter = true }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tower.InjectPrinterFault();

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(256), label: "{job}")));
        var alert = await rig.WaitForAsync<TowerAlertRaised>(TowerStream);

        Assert.Equal(TowerAlerts.PrinterFault, alert.Alert);
        Assert.Contains("without its label", alert.Message, StringComparison.Ordinal);
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>()).Bin);
        Assert.Empty(rig.Tower.PrintedLabels);
    }
}
