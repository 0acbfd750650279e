using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// The recorder on a simulated drive and tower, through its node: a burn's every step, an assignment
/// delivered twice, a refusal when not idle, and aborts (mid-write, queued, for another attempt).
/// </summary>
public sealed class RecorderBurnSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_burn_reports_every_step_and_leaves_the_drive_idle()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(512)));
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        var status = await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.Equal(Bins.Output, unloaded.Bin);
        var kinds = rig.DriveEvents().Select(e => e.GetType().Name).Distinct().ToList();
        Assert.Equal(["DriveCameOnline", "DriveIdle", "BurnAssigned", "DiscLoaded", "BurnStarted", "SectorsWritten", "BurnClosing", "BurnFinished", "DiscVerified", "DiscCountAnswered", "DiscUnloaded"], kinds);
        Assert.IsType<DriveIdle>(rig.DriveEvents()[^1]);
        Assert.Equal((RecorderState.Idle, null, 0.0), (status.State, status.JobId, status.BufferFill));
        Assert.Equal(Enumerable.Range(1, rig.DriveEvents().Count).Select(n => (long)n), rig.Log.SequenceNrs(NodeRig.DriveSource()));
    }

    [Fact]
    public async Task An_assignment_delivered_twice_is_burned_once_and_a_busy_drive_refuses_another()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { TimeScale = 20 }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(512));

        rig.Tell(assignment);
        await rig.WaitForDriveAsync<BurnAssigned>();
        rig.Tell(assignment); // the controller resends until it sees BurnAssigned
        await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tell(assignment);
        rig.Tell(new DriveCommand(NodeRig.DriveIdOf(1), DriveAction.Pause, "alice", "lunch"));
        await rig.WaitForStateAsync(RecorderState.Paused);
        rig.Tell(NodeRig.Assignment(rig.Image(512), copy: 2));
        var refused = await rig.WaitForDriveAsync<BurnFailed>();

        Assert.Single(rig.DriveEvents().OfType<BurnAssigned>());
        Assert.Single(rig.DriveEvents().OfType<DiscLoaded>());
        Assert.Equal((2, BurnFailed.RefusedPhase), (refused.Copy, refused.Phase));
        Assert.Contains("Paused", refused.Reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_abort_stops_a_burn_mid_write_and_rejects_its_disc()
    {
        var options = new RigOptions { TimeScale = 10, WriteSpeedX = 1, DriveBufferBytes = 256 * 1024, Recorder = o => o with { ProgressInterval = TimeSpan.FromMilliseconds(100) } };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(16384));
        rig.Tell(assignment);
        var progress = await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba >= 64);

        rig.Tell(NodeRig.AbortOf(assignment));
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForDriveAsync<DriveIdle>(nth: 2);
        rig.Tell(NodeRig.AbortOf(assignment)); // resent until the controller sees BurnFailed: harmless

        Assert.Equal(BurnFailed.AbortedPhase, failed.Phase);
        Assert.Equal(("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002u, Disposition.FailDisc), (failed.Reason.ImapiName, failed.Reason.HResult, failed.Reason.Disposition));
        Assert.InRange(failed.LastWrittenLba, progress.LastWrittenLba, 16382);
        Assert.Contains($"at LBA {failed.LastWrittenLba}", failed.Reason.Message, StringComparison.Ordinal);
        Assert.Contains("cancelled with abort", failed.Reason.Message, StringComparison.Ordinal);
        Assert.Equal(Bins.Reject, unloaded.Bin);
        Assert.DoesNotContain(rig.DriveEvents(), e => e is BurnFinished or DiscVerified);
        Assert.Equal(RecorderState.Idle, (await rig.WaitForStateAsync(RecorderState.Idle)).State);
        Assert.Single(rig.DriveEvents().OfType<BurnFailed>());
    }

    [Fact]
    public async Task An_assignment_aborted_before_it_started_is_reported_without_spending_a_blank()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { InputBlanks = 5 }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(256));

        rig.Tell(NodeRig.AbortOf(assignment));
        rig.Tell(assignment);
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForDriveAsync<DriveIdle>(nth: 2);

        Assert.Equal((BurnFailed.AbortedPhase, -1L), (failed.Phase, failed.LastWrittenLba));
        Assert.Contains("before any sector was written", failed.Reason.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.DriveEvents(), e => e is DiscLoaded or DiscUnloaded);
        Assert.Equal(5, (await rig.Tower.GetBinsAsync(CancellationToken.None)).InputBlanks);
    }

    [Fact]
    public async Task An_abort_for_another_attempt_leaves_the_burn_alone()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(256), attempt: 2);

        rig.Tell(NodeRig.AbortOf(assignment with { Attempt = 1 }));
        rig.Tell(assignment);
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();

        Assert.Equal(Bins.Output, unloaded.Bin);
        Assert.DoesNotContain(rig.DriveEvents(), e => e is BurnFailed);
    }

    [Fact]
    public void An_aborted_attempt_is_no_failure_of_the_drive()
    {
        var reason = new FailureReason("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, Disposition.FailDisc, "aborted");
        var history = RecorderHistory.Replay([
            new BurnAssigned("D1", "J", 1, 1, 10, "i.iso", VerifyMode.Full, false, null),
            new BurnFailed("D1", "J", 1, 1, BurnFailed.AbortedPhase, 3, reason),
        ]);

        Assert.Equal(0, history.ConsecutiveFailures);
        Assert.False(new BurnFailed("D1", "J", 1, 1, BurnFailed.AbortedPhase, 3, reason).CountsAgainstDrive());
        Assert.True(new BurnFailed("D1", "J", 1, 1, "Writing", 3, reason).CountsAgainstDrive());
    }

    [Fact]
    public async Task A_busy_drive_sends_its_live_figures_to_the_controller()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { TimeScale = 1, WriteSpeedX = 8, DriveBufferBytes = 256 * 1024 }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        // 64 MiB at 8x DVD is about six seconds of writing.
        rig.Tell(NodeRig.Assignment(rig.Image(32768)));
        await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba > 2048);
        await AwaitConditionAsync(() => Task.FromResult(rig.Log.Live.Any(l => l.State == "Writing" && l.LastWrittenLba > 0)), Dilated(NodeSpec.Patience));
        var status = await rig.StatusAsync();

        var live = rig.Log.Live.Last(l => l.State == "Writing");
        Assert.Equal((NodeRig.DriveIdOf(1), 32768L), (live.DriveId, live.TotalBlocks));
        Assert.Equal(RecorderState.Writing, status.State);
        Assert.Equal(("job-1", 1, 32768L), (status.JobId, status.Copy, status.TotalBlocks));
        Assert.InRange(status.BufferFill, 0.01, 1.0); // the reader runs ahead of an 8x drive
        Assert.True(status.CurrentBytesPerSecond > 0, "a writing drive reports its current speed"); // how fast is a benchmark's question, not a test's
        await rig.StopAsync(cutBurnsShort: true);
    }
}
