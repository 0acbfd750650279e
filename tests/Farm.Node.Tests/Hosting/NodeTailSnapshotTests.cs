using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Farm.Node.Tests.Recording;
using Farm.Testing;

namespace Farm.Node.Tests.Hosting;

/// <summary>
/// A node keeps its own offset in the farm's journal: a snapshot of where its tail got to and the
/// assignments current there, so a restart reads on from it instead of the farm's whole history.
/// </summary>
public sealed class NodeTailSnapshotTests : IDisposable
{
    private readonly TempDirectory folder = new("node-tail");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_restarted_node_reads_on_from_its_tail_snapshot_and_burns_what_was_assigned_meanwhile()
    {
        long saved;
        await using (var rig = await NodeRig.StartAsync(new RigOptions { TailSnapshotEvery = 3 }, folder))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            await rig.Journal.AppendAsync("filler", 0, [new DriveIdle("elsewhere"), new DriveIdle("elsewhere"), new DriveIdle("elsewhere")], "", CancellationToken.None);
            saved = await WaitForSnapshotAsync(rig.Journal, atLeast: 4);
        }

        await using (var writer = await SqliteJournal.OpenAsync(folder.PathOf("node.db"), TimeProvider.System, CancellationToken.None))
        {
            await writer.AppendAsync("controller", 0, [NodeRig.Assignment(NodeRig.ImageIn(folder, 256))], "decision", CancellationToken.None);
        }

        await using var again = await NodeRig.StartAsync(new RigOptions { TailSnapshotEvery = 3 }, folder);
        var unloaded = await again.WaitForDriveAsync<DiscUnloaded>();

        Assert.True(again.Host.RestoredFromOrdering >= saved, $"restored from {again.Host.RestoredFromOrdering}, the snapshot was at {saved}");
        Assert.Equal(Bins.Output, unloaded.Bin);
    }

    [Fact]
    public async Task A_book_with_an_abort_survives_its_snapshot()
    {
        var assignment = new CopyAssigned("job-1", 1, 1, "node-1", NodeRig.DriveIdOf(1), "/images/a.iso", 10, VerifyMode.Full, "DVD+R");
        var other = assignment with { Copy = 2, DriveId = NodeRig.DriveIdOf(2) };
        var abort = new CopyAbortRequested("job-1", 1, 1, "node-1", NodeRig.DriveIdOf(1), "cancelled with abort");
        var book = new IFarmEvent[] { assignment, other, abort }.Aggregate(AssignmentBook.Empty, AssignmentBook.Apply);
        await using var journal = await SqliteJournal.OpenAsync(folder.PathOf("node.db"), TimeProvider.System, CancellationToken.None);

        await journal.SaveSnapshotAsync(NodeHost.TailSnapshotIdOf("node-1"), 42, book.ToSnapshot(42), CancellationToken.None);
        var loaded = (await journal.LoadSnapshotAsync<AssignmentBookSnapshot>(NodeHost.TailSnapshotIdOf("node-1"), CancellationToken.None))!;
        var restored = AssignmentBook.FromSnapshot(loaded.State);

        Assert.Equal(42, loaded.State.AfterOrdering);
        Assert.Equal(book.Current.OrderBy(p => p.Key.Copy), restored.Current.OrderBy(p => p.Key.Copy));
        Assert.Equal(abort, Assert.Single(restored.Aborts).Value);
    }

    [Fact]
    public void An_abort_for_an_attempt_no_longer_current_is_not_kept()
    {
        var assignment = new CopyAssigned("job-1", 1, 2, "node-1", NodeRig.DriveIdOf(1), "/images/a.iso", 10, VerifyMode.Full, "DVD+R");
        var stale = new CopyAbortRequested("job-1", 1, 1, "node-1", NodeRig.DriveIdOf(1), "old attempt");

        var book = new IFarmEvent[] { assignment, stale }.Aggregate(AssignmentBook.Empty, AssignmentBook.Apply);

        Assert.Empty(book.Aborts);
    }

    private static async Task<long> WaitForSnapshotAsync(SqliteJournal journal, long atLeast)
    {
        using var patience = new CancellationTokenSource(NodeRig.Patience);
        long after = 0;
        while (true)
        {
            var batch = await journal.ReadAllAsync(after, int.MaxValue, patience.Token);
            after = batch.Count > 0 ? batch[^1].Ordering : after;
            var saved = await journal.LoadSnapshotAsync<AssignmentBookSnapshot>(NodeHost.TailSnapshotIdOf("node-1"), patience.Token);
            if (saved is { SequenceNr: var at } && at >= atLeast)
            {
                return at;
            }

            using var poll = CancellationTokenSource.CreateLinkedTokenSource(patience.Token);
            poll.CancelAfter(TimeSpan.FromMilliseconds(50));
            await journal.WaitForNewEventsAsync(after, poll.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            patience.Token.ThrowIfCancellationRequested();
        }
    }
}
