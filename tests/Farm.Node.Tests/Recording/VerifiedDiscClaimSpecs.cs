using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// A verified disc stays in its drive until the controller says whether it counts: counted, it goes
/// to the output bin; refused (its node was declared lost, the copy re-queued), to the reject bin
/// with the controller's reason; unanswered, it stays in the drive (the controller may have counted it).
/// </summary>
public sealed class VerifiedDiscClaimSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task A_verified_disc_the_controller_counts_goes_to_the_output_bin()
    {
        await using var rig = await NodeRig.StartAsync(this, new RigOptions(), Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var assignment = NodeRig.Assignment(rig.Image(256));

        rig.Tell(assignment);
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();

        var claim = Assert.Single(rig.Log.Claims);
        Assert.Equal((NodeRig.NodeId, assignment.DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, unloaded.DiscId), (claim.NodeId, claim.DriveId, claim.JobId, claim.Copy, claim.Attempt, claim.DiscId));
        var answered = Assert.Single(rig.DriveEvents().OfType<DiscCountAnswered>());
        Assert.True(answered.Counted);
        Assert.Equal(Bins.Output, unloaded.Bin);
        Assert.True(IndexOf<DiscCountAnswered>(rig) < IndexOf<DiscUnloaded>(rig), "the disc moved before the answer was persisted");
    }

    [Fact]
    public async Task A_verified_disc_the_controller_refuses_goes_to_the_reject_bin_with_its_reason()
    {
        const string why = "node node-1 was declared lost; attempt 1 of copy 1 failed then and the copy was queued again";
        var options = new RigOptions { AnswerClaim = claim => new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, false, why) };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        var binned = await rig.WaitForAsync<DiscBinned>(NodeRig.TowerSource, b => b.DiscId == unloaded.DiscId);
        await rig.WaitForStateAsync(RecorderState.Idle);

        var answered = Assert.Single(rig.DriveEvents().OfType<DiscCountAnswered>());
        Assert.Equal((false, why), (answered.Counted, answered.Why));
        Assert.Equal((Bins.Reject, Bins.Reject), (unloaded.Bin, binned.Bin));
        Assert.Contains(why, binned.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 1), await BinsAsync(rig));
    }

    [Fact]
    public async Task A_verified_disc_no_controller_answers_stays_in_the_drive_past_the_warning_and_is_binned_as_answered_later()
    {
        var answering = 0;
        var options = new RigOptions
        {
            AnswerClaim = claim => Volatile.Read(ref answering) == 1 ? new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, true, null) : null,
            Recorder = o => o with { CountAskInterval = TimeSpan.FromMilliseconds(100), CountWarningAfter = TimeSpan.FromMilliseconds(300) },
        };
        await using var rig = await NodeRig.StartAsync(this, options, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);

        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        await AwaitConditionAsync(() => Task.FromResult(rig.Log.Claims.Count >= 6), Dilated(NodeSpec.Patience));

        Assert.DoesNotContain(rig.DriveEvents(), e => e is DiscCountAnswered or DiscUnloaded);
        Assert.Equal((0, 0), await BinsAsync(rig));

        Volatile.Write(ref answering, 1);
        var unloaded = await rig.WaitForDriveAsync<DiscUnloaded>();
        await rig.WaitForStateAsync(RecorderState.Idle);

        Assert.True(Assert.Single(rig.DriveEvents().OfType<DiscCountAnswered>()).Counted);
        Assert.Equal(Bins.Output, unloaded.Bin);
        Assert.Equal((1, 0), await BinsAsync(rig));
    }

    [Fact]
    public async Task A_node_killed_while_its_verified_disc_awaits_the_answer_asks_again_after_its_restart_and_bins_it_as_answered()
    {
        var unanswered = new RigOptions { AnswerClaim = _ => null };
        var first = NodeSystem("node-killed");
        await using (var rig = await NodeRig.StartAsync(this, unanswered, Folder, system: first))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            rig.Tell(NodeRig.Assignment(rig.Image(256)));
            await AwaitConditionAsync(() => Task.FromResult(!rig.Log.Claims.IsEmpty), Dilated(NodeSpec.Patience));
            await first.Terminate(); // killed with the verified disc in the drive, no answer in the journal
        }

        var second = NodeSystem("node-restarted");
        try
        {
            await using var again = await NodeRig.StartAsync(this, new RigOptions(), Folder, system: second);
            var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();
            await again.WaitForStateAsync(RecorderState.Idle);

            Assert.Equal(Bins.Output, unloaded.Bin);
            Assert.True(Assert.Single(again.DriveEvents().OfType<DiscCountAnswered>()).Counted);
            Assert.DoesNotContain(again.DriveEvents(), e => e is DiscInterrupted);
            Assert.Equal(unloaded.DiscId, Assert.Single(again.Log.Claims).DiscId);
        }
        finally
        {
            await second.Terminate();
        }
    }

    [Fact]
    public void The_answer_is_part_of_the_open_attempt_a_restart_recovers()
    {
        var history = RecorderHistory.Replay([
            new BurnAssigned("D1", "J", 1, 2, 10, "i.iso", VerifyMode.Full, false, null),
            new DiscLoaded("D1", "J", 1, "disc-1", "DVD+R"),
            new DiscVerified("D1", "J", 1, "abc", TimeSpan.FromSeconds(1)),
            new DiscCountAnswered("D1", "J", 1, 2, "disc-1", false, "the copy was queued again"),
        ]);

        Assert.Equal((true, (bool?)false, "the copy was queued again"), (history.Open!.Verified, history.Open.Counted, history.Open.NotCountedWhy));
        Assert.Equal(0, history.ConsecutiveFailures); // a disc not counted is no failure of the drive
    }

    private static int IndexOf<T>(NodeRig rig) => rig.DriveEvents().ToList().FindIndex(e => e is T);

    private static async Task<(int Output, int Reject)> BinsAsync(NodeRig rig)
    {
        var bins = await rig.Tower.GetBinsAsync(CancellationToken.None);
        return (bins.Output, bins.Reject);
    }
}
