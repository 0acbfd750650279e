using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Testing;

namespace Farm.Node.Tests.Recording;

/// <summary>Crashes, dead devices and the supervisor: restart and re-open, or give up into maintenance.</summary>
public sealed class RecorderSupervisionTests : IDisposable
{
    private readonly TempDirectory folder = new("recorder-supervision");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_burn_reports_every_step_and_leaves_the_drive_idle()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512))));
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(Bins.Output, unloaded.Bin);
        var kinds = (await rig.DriveEventsAsync()).Select(e => e.GetType().Name).Distinct().ToList();
        Assert.Equal(["DriveCameOnline", "DriveIdle", "BurnAssigned", "DiscLoaded", "BurnStarted", "SectorsWritten", "BurnClosing", "BurnFinished", "DiscVerified", "DiscUnloaded"], kinds);
        Assert.Equal((RecorderState.Idle, null, 0.0), (rig.Drive().Current.State, rig.Drive().Current.JobId, rig.Drive().Current.BufferFill));
    }

    [Fact]
    public async Task A_device_that_vanishes_mid_write_fails_the_disc_and_the_actor_reopens_the_device()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectOnce(FaultTrigger.On(0x2A).After(5), Fault.DeviceGone());

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512))));
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForDriveAsync<DriveCameOnline>(nth: 2);
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(("HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)", Disposition.DriveToMaintenance, "Writing"), (failed.Reason.ImapiName, failed.Reason.Disposition, failed.Phase));
        Assert.Contains(await rig.DriveEventsAsync(), e => e is DiscUnloaded { Bin: Bins.Reject });
        Assert.Equal(2, rig.OpensOf(NodeRig.DriveIdOf(1)));
        Assert.DoesNotContain(await rig.DriveEventsAsync(), e => e is DriveEnteredMaintenance);

        // Re-opened, the drive burns the next copy.
        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512), copy: 2)));
        Assert.Equal(Bins.Output, (await rig.WaitForDriveAsync<DiscUnloaded>(u => u.Copy == 2)).Bin);
    }

    [Fact]
    public async Task A_device_that_stays_dead_makes_the_supervisor_give_up_and_the_drive_enters_maintenance()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder, start: false);
        var gone = 0;
        rig.OpenOverride = (driveId, _) => Volatile.Read(ref gone) == 0
            ? Task.FromResult<IScsiTransport>(new SimulatedDriveHandle(rig.Drives[driveId]))
            : throw new ScsiTransportException(TransportFailure.DeviceGone, $"{driveId}: no such device");
        rig.Run();
        await rig.WaitForStateAsync(RecorderState.Idle);

        // Mid-write the device disappears for good: the disc fails, every re-open fails.
        rig.Drives[NodeRig.DriveIdOf(1)].Faults.InjectOnce(FaultTrigger.On(0x2A).After(5), Fault.DeviceGone());
        Volatile.Write(ref gone, 1);
        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512))));
        var maintenance = await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        await rig.Drive().Completion.WaitAsync(NodeRig.Patience);

        Assert.Contains("gave up after 3 restarts", maintenance.Why, StringComparison.Ordinal);
        Assert.Contains("no such device", maintenance.Why, StringComparison.Ordinal);
        Assert.Equal(RecorderState.Maintenance, rig.Drive().Current.State);
        Assert.Equal(1 + 3, rig.OpensOf(NodeRig.DriveIdOf(1))); // the first open, then one per restart the supervisor allows
        var events = await rig.DriveEventsAsync();
        Assert.Single(events.OfType<BurnFailed>());
        Assert.Single(events.OfType<DiscUnloaded>(), u => u.Bin == Bins.Reject);
        Assert.False(rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512), copy: 2))));
    }

    [Fact]
    public async Task An_exception_mid_write_restarts_the_actor_which_reopens_the_device_and_reports_the_disc_interrupted()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder, start: false);
        var writes = 0;
        rig.OpenOverride = (driveId, _) => Task.FromResult<IScsiTransport>(new ThrowingTransport(
            new SimulatedDriveHandle(rig.Drives[driveId]),
            cdb => cdb[0] == 0x2A && Interlocked.Increment(ref writes) == 40));
        rig.Run();
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(2048))));
        var interrupted = await rig.WaitForDriveAsync<DiscInterrupted>();
        await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        var events = await rig.DriveEventsAsync();
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
        var noRestarts = new Farm.Node.Actors.SupervisionOptions(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10), 1, 0, TimeSpan.FromMinutes(1));
        await using var rig = await NodeRig.StartAsync(new RigOptions { Supervision = noRestarts }, folder, start: false);
        rig.OpenOverride = (driveId, _) => Task.FromResult<IScsiTransport>(new ThrowingTransport(new SimulatedDriveHandle(rig.Drives[driveId]), cdb => cdb[0] == 0x35));
        rig.Run();
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Drive().Tell(new RecorderActor.Burn(NodeRig.Assignment(rig.Image(512))));
        var maintenance = await rig.WaitForDriveAsync<DriveEnteredMaintenance>();
        await rig.Drive().Completion.WaitAsync(NodeRig.Patience);

        var events = await rig.DriveEventsAsync();
        var interrupted = events.OfType<DiscInterrupted>().Single();
        Assert.Equal(("Closing", 511L), (interrupted.Phase, interrupted.LastPersistedLba));
        Assert.Equal(Bins.Reject, events.OfType<DiscUnloaded>().Single().Bin);
        Assert.Contains("gave up after 0 restarts", maintenance.Why, StringComparison.Ordinal);
        Assert.Equal(RecorderState.Maintenance, rig.Drive().Current.State);
        Assert.Equal((0, 1), ((await rig.Tower.GetBinsAsync(CancellationToken.None)).Output, (await rig.Tower.GetBinsAsync(CancellationToken.None)).Reject));
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
