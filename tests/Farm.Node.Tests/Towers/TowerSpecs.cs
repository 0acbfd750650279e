using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Towers;
using Farm.Node.Hosting;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Farm.Node.Towers;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Towers;

/// <summary>Tower sensors and faults: alerts, held drives, and the operator who clears them; labels.</summary>
public sealed class TowerSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    private async Task<string?> ClearAsync(NodeRig rig, string alert, string by) =>
        (await rig.Node.Ask<TowerProtocol.AlertAnswer>(new NodeActor.ClearTowerAlert(NodeRig.TowerId, alert, by), Dilated(TimeSpan.FromSeconds(30)))).StillStands;

    [Fact]
    public async Task An_empty_input_bin_raises_an_alert_and_pauses_every_drive_of_the_tower_until_refilled_and_cleared()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { Drives = 2, InputBlanks = 1 }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);

        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        var alert = await rig.WaitForAsync<TowerAlertRaised>(NodeRig.TowerSource);
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 2);

        Assert.Equal(TowerAlerts.InputEmpty, alert.Alert);
        Assert.Contains("load DVD+R blanks", alert.Message, StringComparison.Ordinal);
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(drive: 1)).Bin); // the disc in progress finished
        Assert.Equal(DriveHolds.Tower, (await rig.WaitForDriveAsync<DrivePaused>(drive: 2)).Hold);
        Assert.Equal(0, rig.TowerEvents().OfType<TowerBinsReported>().Last().InputBlanks);

        // Clearing before the bin is refilled is refused; after, both drives run again.
        Assert.Contains("still empty", await ClearAsync(rig, TowerAlerts.InputEmpty, "alice"), StringComparison.Ordinal);
        rig.Tower.Refill(10);
        Assert.Null(await ClearAsync(rig, TowerAlerts.InputEmpty, "alice"));
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);

        Assert.Equal(new TowerAlertCleared(NodeRig.TowerId, TowerAlerts.InputEmpty, "alice"), rig.TowerEvents().OfType<TowerAlertCleared>().Single());
        Assert.Equal(1, rig.TowerEvents().OfType<TowerBinsReported>().Last().InputBlanks); // a bin holds no more than its capacity
        rig.Tell(NodeRig.Assignment(rig.Image(256), copy: 2, drive: 2));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(drive: 2)).Bin);
    }

    [Fact]
    public async Task An_arm_jam_on_load_needs_an_operator_and_holds_the_towers_drives_until_cleared()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { Drives = 2 }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);
        rig.Tower.JamArm();

        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Paused, drive: 2);

        Assert.Equal(("TOWER_ARMJAM", Disposition.NeedsOperator, "Loading"), (failed.Reason.ImapiName, failed.Reason.Disposition, failed.Phase));
        Assert.Equal(TowerAlerts.ArmJam, (await rig.WaitForAsync<TowerAlertRaised>(NodeRig.TowerSource)).Alert);
        Assert.Equal("TOWER_ARMJAM", (await rig.WaitForDriveAsync<DriveAlertRaised>()).Alert);
        Assert.Equal(DriveHolds.Tower, (await rig.WaitForDriveAsync<DrivePaused>(drive: 2)).Hold);
        rig.Tell(NodeRig.Assignment(rig.Image(256), copy: 2, drive: 2));
        Assert.Equal(BurnFailed.RefusedPhase, (await rig.WaitForDriveAsync<BurnFailed>(drive: 2)).Phase);

        rig.Tower.ClearJam();
        Assert.Null(await ClearAsync(rig, TowerAlerts.ArmJam, "bob"));
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 1);
        await rig.WaitForStateAsync(RecorderState.Idle, drive: 2);
        rig.Tell(NodeRig.Assignment(rig.Image(256), copy: 3));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 3)).Bin);
    }

    [Fact]
    public async Task A_jam_while_a_verified_disc_waits_for_the_arm_keeps_it_in_the_drive_and_bins_it_good_once_cleared()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { TimeScale = 20 }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(512)));
        await rig.WaitForDriveAsync<BurnStarted>(); // closing a DVD+R takes seconds: the jam comes before the unload
        rig.Tower.JamArm();
        await rig.WaitForDriveAsync<DriveAlertRaised>();
        await rig.WaitForStateAsync(RecorderState.Paused);

        var events = rig.DriveEvents();
        Assert.Single(events.OfType<DiscVerified>());
        Assert.DoesNotContain(events, e => e is DiscUnloaded or BurnFailed);

        rig.Tower.ClearJam();
        Assert.Null(await ClearAsync(rig, TowerAlerts.ArmJam, "carol"));
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(Bins.Output, unloaded.Bin);
        Assert.NotNull(unloaded.Sha256);
    }

    [Fact]
    public async Task Two_discs_picked_at_once_raise_their_alert_and_hold_the_tower()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tower.InjectFault(Farm.Device.Towers.TowerFault.PickedTwice);

        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        await rig.WaitForStateAsync(RecorderState.Paused);

        Assert.Equal(TowerAlerts.PickedTwice, (await rig.WaitForAsync<TowerAlertRaised>(NodeRig.TowerSource)).Alert);
        Assert.Equal(Disposition.NeedsOperator, (await rig.WaitForDriveAsync<BurnFailed>()).Reason.Disposition);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_tower_reports_with_its_bins_whether_it_can_print_labels(bool printer)
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { HasPrinter = printer }, Folder);

        var reported = await rig.WaitForAsync<TowerBinsReported>(NodeRig.TowerSource);

        Assert.Equal(printer, reported.CanPrintLabels);
    }

    [Fact]
    public async Task The_printer_prints_the_label_with_its_fields_merged_in_about_forty_simulated_seconds()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { HasPrinter = true }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(256), copy: 4, label: "Release 2.1 / {job} #{copy} / {drive} / {date}"));
        var printed = await rig.WaitForAsync<LabelPrinted>(NodeRig.TowerSource);
        await rig.WaitForDriveAsync<DiscUnloaded>();

        Assert.Matches(@"^Release 2\.1 / job-1 #4 / T1-D1 / \d{4}-\d{2}-\d{2}$", printed.Text);
        Assert.Equal(TimeSpan.FromSeconds(40), printed.Duration);
        Assert.Equal($"{printed.DiscId}: {printed.Text}", Assert.Single(rig.Tower.PrintedLabels));
    }

    [Fact]
    public async Task A_printer_fault_raises_an_alert_and_the_good_disc_stays_in_the_output_bin()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { HasPrinter = true }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tower.InjectPrinterFault();

        rig.Tell(NodeRig.Assignment(rig.Image(256), label: "{job}"));
        var alert = await rig.WaitForAsync<TowerAlertRaised>(NodeRig.TowerSource);

        Assert.Equal(TowerAlerts.PrinterFault, alert.Alert);
        Assert.Contains("without its label", alert.Message, StringComparison.Ordinal);
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>()).Bin);
        Assert.Empty(rig.Tower.PrintedLabels);
    }

    [Fact]
    public async Task A_restarted_node_finds_its_bins_and_standing_alerts_as_the_journal_left_them()
    {
        var log = new ReportLog();
        await using (var rig = await NodeRig.StartAsync(this, new RigOptions { InputBlanks = 2 }, Folder, log))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(NodeRig.Assignment(rig.Image(256)));
            await rig.WaitForDriveAsync<DiscUnloaded>();
            rig.Tower.JamArm();
            rig.Tell(NodeRig.Assignment(rig.Image(256), copy: 2));
            await rig.WaitForStateAsync(RecorderState.Paused);
            await rig.StopAsync();
        }

        await using var again = await NodeRig.StartAsync(this, new RigOptions { InputBlanks = 2 }, Folder, log);
        var paused = await again.WaitForStateAsync(RecorderState.Paused);
        var bins = await again.Tower.GetBinsAsync(CancellationToken.None);

        Assert.Equal([DriveHolds.Tower], paused.Holds);
        Assert.Equal((1, 1), (bins.InputBlanks, bins.Output));
        Assert.Null(await ClearAsync(again, TowerAlerts.ArmJam, "dave")); // it still stood after the restart, and clearing it releases the drive
        await again.WaitForStateAsync(RecorderState.Idle);
        Assert.Equal("dave", (await again.WaitForAsync<TowerAlertCleared>(NodeRig.TowerSource)).By);
    }
}
