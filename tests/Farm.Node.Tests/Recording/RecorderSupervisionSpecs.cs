using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>Crashes, dead devices and the drive's supervisor: restart with back-off and re-open, or give up into maintenance.</summary>
public sealed class RecorderSupervisionSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_device_that_vanishes_mid_write_fails_the_disc_and_the_recorder_reopens_the_device()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectOnce(FaultTrigger.On(0x2A).After(5), Fault.DeviceGone());

        rig.Tell(NodeRig.Assignment(rig.Image(512)));
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForDriveAsync<DriveCameOnline>(nth: 2);
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(("HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)", Disposition.DriveToMaintenance, "Writing"), (failed.Reason.ImapiName, failed.Reason.Disposition, failed.Phase));
        Assert.Contains(rig.DriveEvents(), e => e is DiscUnloaded { Bin: Bins.Reject });
        Assert.Equal(2, rig.OpensOf(NodeRig.DriveIdOf(1)));
        Assert.DoesNotContain(rig.DriveEvents(), e => e is DriveEnteredMaintenance);

        // Re-opened, the drive burns the next copy.
        rig.Tell(NodeRig.Assignment(rig.Image(512), copy: 2));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 2)).Bin);
    }

    [Fact]
    public async Task A_device_that_stays_dead_makes_the_supervisor_give_up_and_the_drive_enters_maintenance()
    {
        var gone = 0;
        var options = new RigOptions
        {
            Open = (driveId, drive) => Volatile.Read(ref gone) == 0
                ? new SimulatedDriveHandle(drive)
                : throw new ScsiTransportException(TransportFailure.DeviceGone, $"{driveId}: no such device"),
        };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        // Mid-write the device disappears for good: the disc fails, every re-open fails.
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectOnce(FaultTrigger.On(0x2A).After(5), Fault.DeviceGone());
        Volatile.Write(ref gone, 1);
        rig.Tell(NodeRig.Assignment(rig.Image(512)));
        var maintenance = await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        var status = await rig.WaitForStateAsync(RecorderState.Maintenance);

        Assert.Contains("gave up after 3 restarts", maintenance.Why, StringComparison.Ordinal);
        Assert.Contains("no such device", maintenance.Why, StringComparison.Ordinal);
        Assert.Equal(maintenance.Why, status.LastError);
        Assert.Equal(1 + 3, rig.OpensOf(NodeRig.DriveIdOf(1))); // the first open, then one per restart the supervisor allows
        var events = rig.DriveEvents();
        Assert.Single(events.OfType<BurnFailed>());
        Assert.Single(events.OfType<DiscUnloaded>(), u => u.Bin == Bins.Reject);

        // Given up on, it refuses copies (the controller hears at once) and opens nothing.
        rig.Tell(NodeRig.Assignment(rig.Image(512), copy: 2));
        Assert.Equal(BurnFailed.RefusedPhase, (await rig.WaitForDriveAsync<BurnFailed>(f => f.Copy == 2)).Phase);
        Assert.Equal(4, rig.OpensOf(NodeRig.DriveIdOf(1)));
    }

    [Fact]
    public async Task A_drive_given_up_on_and_put_back_in_service_starts_afresh()
    {
        var gone = 1;
        var options = new RigOptions
        {
            Open = (driveId, drive) => Volatile.Read(ref gone) == 0
                ? new SimulatedDriveHandle(drive)
                : throw new ScsiTransportException(TransportFailure.DeviceGone, $"{driveId}: no such device"),
        };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        await rig.WaitForStateAsync(RecorderState.Maintenance);

        Volatile.Write(ref gone, 0); // the operator replaced the cable
        rig.Tell(new DriveCommand(NodeRig.DriveIdOf(1), DriveAction.LeaveMaintenance, "bob", "cable replaced"));
        await rig.WaitForDriveAsync<DriveCameOnline>();
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tell(NodeRig.Assignment(rig.Image(256)));

        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>()).Bin);
        Assert.Equal("bob", rig.DriveEvents().OfType<DriveLeftMaintenance>().Single().By);
    }

    [Fact]
    public async Task An_exception_mid_write_restarts_the_recorder_which_reopens_the_device_and_reports_the_disc_interrupted()
    {
        var writes = 0;
        var options = new RigOptions { Open = (_, drive) => new ThrowingTransport(new SimulatedDriveHandle(drive), cdb => cdb[0] == 0x2A && Interlocked.Increment(ref writes) == 40) };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(2048)));
        var interrupted = await rig.WaitForDriveAsync<DiscInterrupted>();
        await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        var events = rig.DriveEvents();
        var lastPersisted = events.OfType<SectorsWritten>().Last().LastWrittenLba;
        Assert.Equal(("Writing", lastPersisted, 2048L), (interrupted.Phase, interrupted.LastPersistedLba, interrupted.TotalBlocks));
        Assert.Equal(39 * 16 - 1, lastPersisted); // 39 WRITEs of 32 KiB went through; the persister saved the last one on the way out
        Assert.Equal(Bins.Reject, events.OfType<DiscUnloaded>().Single().Bin);
        Assert.Equal(2, rig.OpensOf(NodeRig.DriveIdOf(1)));
        Assert.Equal(2, events.OfType<DriveCameOnline>().Count());
    }

    [Fact]
    public async Task When_the_supervisor_gives_up_mid_burn_the_disc_is_reported_interrupted_rejected_and_the_drive_enters_maintenance()
    {
        var options = new RigOptions
        {
            Supervision = new SupervisionOptions(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), 1, 0, TimeSpan.FromMinutes(1)),
            Open = (_, drive) => new ThrowingTransport(new SimulatedDriveHandle(drive), cdb => cdb[0] == 0x35),
        };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(512)));
        var maintenance = await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        await rig.WaitForStateAsync(RecorderState.Maintenance);

        var events = rig.DriveEvents();
        var interrupted = events.OfType<DiscInterrupted>().Single();
        Assert.Equal(("Closing", 511L), (interrupted.Phase, interrupted.LastPersistedLba));
        Assert.Equal(Bins.Reject, events.OfType<DiscUnloaded>().Single().Bin);
        Assert.Contains("gave up after 0 restarts", maintenance.Why, StringComparison.Ordinal);
        var bins = await rig.Tower.GetBinsAsync(CancellationToken.None);
        Assert.Equal((0, 1), (bins.Output, bins.Reject));
    }
}

/// <summary>A transport that throws a plain exception (not a transport failure) on the commands <paramref name="when"/> picks: a bug or a broken driver.</summary>
internal sealed class ThrowingTransport(IScsiTransport inner, Func<byte[], bool> when) : IScsiTransport
{
    public string Name => inner.Name;

    public int MaxTransferBytes => inner.MaxTransferBytes;

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken) =>
        when(cdb.ToArray()) ? throw new InvalidOperationException($"{Name}: the driver crashed on {cdb.Span[0]:X2}h") : inner.ExecuteAsync(cdb, direction, data, timeout, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
