using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Recording;
using Farm.Testing;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// A job cancelled with abort: the controller appends CopyAbortRequested; the node reads it from
/// the journal and stops the drive's attempt at once (or before it starts), its disc rejected.
/// </summary>
public sealed class AbortTests : IDisposable
{
    private const string Controller = "controller";
    private readonly TempDirectory folder = new("recorder-abort");

    public void Dispose() => folder.Dispose();

    private static CopyAbortRequested AbortOf(CopyAssigned assignment) =>
        new(assignment.JobId, assignment.Copy, assignment.Attempt, assignment.NodeId, assignment.DriveId, "job job-1 was cancelled with abort");

    [Fact]
    public async Task An_abort_from_the_journal_stops_a_burn_mid_write_and_rejects_its_disc()
    {
        var options = new RigOptions { TimeScale = 10, WriteSpeedX = 1, DriveBufferBytes = 256 * 1024, Recorder = o => o with { ProgressInterval = TimeSpan.FromMilliseconds(100) } };
        await using var rig = await NodeRig.StartAsync(options, folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(16384));
        await rig.Journal.AppendAsync(Controller, 0, [assignment], "decision", CancellationToken.None);
        var progress = await rig.WaitForDriveAsync<SectorsWritten>(s => s.LastWrittenLba >= 64);

        await rig.Journal.AppendAsync(Controller, 1, [AbortOf(assignment)], "decision", CancellationToken.None);
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForDriveAsync<DriveIdle>(nth: 2);

        Assert.Equal(BurnFailed.AbortedPhase, failed.Phase);
        Assert.Equal(("E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002u, Disposition.FailDisc), (failed.Reason.ImapiName, failed.Reason.HResult, failed.Reason.Disposition));
        Assert.InRange(failed.LastWrittenLba, progress.LastWrittenLba, 16382);
        Assert.Contains($"at LBA {failed.LastWrittenLba}", failed.Reason.Message, StringComparison.Ordinal);
        Assert.Contains("cancelled with abort", failed.Reason.Message, StringComparison.Ordinal);
        Assert.Equal(Bins.Reject, unloaded.Bin);
        var events = await rig.DriveEventsAsync();
        Assert.DoesNotContain(events, e => e is BurnFinished or DiscVerified);
        Assert.Equal(RecorderState.Idle, rig.Drive().Current.State);
    }

    [Fact]
    public async Task An_assignment_aborted_before_it_started_is_reported_without_spending_a_blank()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions { InputBlanks = 5 }, folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(256));

        await rig.Journal.AppendAsync(Controller, 0, [assignment, AbortOf(assignment)], "decision", CancellationToken.None);
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForDriveAsync<DriveIdle>(nth: 2);

        Assert.Equal((BurnFailed.AbortedPhase, -1L), (failed.Phase, failed.LastWrittenLba));
        Assert.Contains("before any sector was written", failed.Reason.Message, StringComparison.Ordinal);
        var events = await rig.DriveEventsAsync();
        Assert.DoesNotContain(events, e => e is DiscLoaded or DiscUnloaded);
        Assert.Equal(5, (await rig.Tower.GetBinsAsync(CancellationToken.None)).InputBlanks);
    }

    [Fact]
    public async Task An_abort_for_another_attempt_leaves_the_burn_alone()
    {
        await using var rig = await NodeRig.StartAsync(new RigOptions(), folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(256), attempt: 2);

        await rig.Journal.AppendAsync(Controller, 0, [AbortOf(assignment with { Attempt = 1 }), assignment], "decision", CancellationToken.None);
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();

        Assert.Equal(Bins.Output, unloaded.Bin);
        Assert.DoesNotContain(await rig.DriveEventsAsync(), e => e is BurnFailed);
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
}
