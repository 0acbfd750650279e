using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.MultiHost.Tests;

/// <summary>The node's local journal shipped to the farm journal: in order, idempotent, nothing lost while the farm is down.</summary>
public sealed class ShipperTests : IDisposable
{
    private readonly TempDirectory folder = new("farm-shipper");

    public void Dispose() => folder.Dispose();

    private static JournalShipper Shipper(IJournal local, IJournal farm) =>
        new(local, farm, TimeProvider.System, TimeSpan.FromMilliseconds(50), NullLogger<JournalShipper>.Instance);

    private static async Task AppendInterleavedAsync(IJournal journal, int perStream, int from = 1)
    {
        for (var i = from; i < from + perStream; i++)
        {
            foreach (var drive in new[] { "A", "B", "C" })
            {
                await journal.AppendAsync($"drive-{drive}", i - 1, [new SectorsWritten(drive, "J", 1, i, 1000, 1)], "drive", CancellationToken.None);
            }
        }
    }

    private static IEnumerable<(string, long, string)> Rows(IEnumerable<JournalEntry> entries) =>
        entries.Select(e => (e.PersistenceId, e.SequenceNr, ((SectorsWritten)e.Event).LastWrittenLba.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Ships_every_event_in_local_order_with_its_stream_and_sequence_and_a_restarted_shipper_adds_nothing()
    {
        await using var local = await SqliteJournal.OpenAsync(folder.PathOf("node.db"), TimeProvider.System, CancellationToken.None);
        await using var farm = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        await AppendInterleavedAsync(local, 40);

        var first = Shipper(local, farm);
        await first.ShipAvailableAsync(CancellationToken.None);
        var restarted = Shipper(local, farm);
        await restarted.ShipAvailableAsync(CancellationToken.None);

        var shipped = await JournalAudit.ReadAllAsync(farm);
        Assert.Equal(Rows(await JournalAudit.ReadAllAsync(local)), Rows(shipped));
        Assert.Equal((120L, 0L), (first.ShippedEvents, restarted.ShippedEvents));
    }

    [Fact]
    public async Task An_event_the_farm_already_holds_because_an_answer_was_lost_is_skipped_not_written_twice()
    {
        await using var local = await SqliteJournal.OpenAsync(folder.PathOf("node.db"), TimeProvider.System, CancellationToken.None);
        await using var farm = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        await AppendInterleavedAsync(local, 5);
        var shipper = Shipper(local, farm);
        await shipper.ShipAvailableAsync(CancellationToken.None);

        // The next event reaches the farm but the shipper never learns it (its append's answer was
        // lost): the shipper's cached head is stale, and its append meets the unique key.
        var next = new SectorsWritten("A", "J", 1, 6, 1000, 1);
        await local.AppendAsync("drive-A", 5, [next], "drive", CancellationToken.None);
        await farm.AppendAsync("drive-A", 5, [next], "drive", CancellationToken.None);
        await local.AppendAsync("drive-A", 6, [new SectorsWritten("A", "J", 1, 7, 1000, 1)], "drive", CancellationToken.None);
        await shipper.ShipAvailableAsync(CancellationToken.None);

        var stream = await farm.ReadStreamAsync("drive-A", 1, CancellationToken.None);
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], stream.Select(e => e.SequenceNr));
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7], stream.Select(e => ((SectorsWritten)e.Event).LastWrittenLba));
    }

    [Fact]
    public async Task While_the_farm_is_down_the_node_keeps_appending_locally_and_everything_is_shipped_once_when_it_returns()
    {
        await using var local = await SqliteJournal.OpenAsync(folder.PathOf("node.db"), TimeProvider.System, CancellationToken.None);
        await using var inner = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        var farm = new SwitchableJournal(inner);
        var nodeJournal = new NodeJournal(local, farm, TimeProvider.System, TimeSpan.FromMilliseconds(50), NullLogger<NodeJournal>.Instance);
        var shipper = Shipper(local, farm);
        using var stop = new CancellationTokenSource();
        var shipping = Task.Run(() => shipper.RunAsync(stop.Token));

        await AppendInterleavedAsync(nodeJournal, 10);
        await Wait.UntilAsync(async () => (await inner.ReadAllAsync(0, 1000, CancellationToken.None)).Count == 30, TimeSpan.FromSeconds(30), () => "the first 30 events to be shipped");

        farm.Down = true;
        await AppendInterleavedAsync(nodeJournal, 20, from: 11); // the actors' appends do not notice
        Assert.Empty(await nodeJournal.ReadAllAsync(0, 10, CancellationToken.None)); // the tail waits instead of failing
        Assert.Equal(30, (await inner.ReadAllAsync(0, 1000, CancellationToken.None)).Count);

        farm.Down = false;
        await Wait.UntilAsync(async () => (await inner.ReadAllAsync(0, 1000, CancellationToken.None)).Count >= 90, TimeSpan.FromSeconds(30), () => "all 90 events to be shipped");
        await stop.CancelAsync();
        await shipping;

        Assert.Equal(Rows(await JournalAudit.ReadAllAsync(local)), Rows(await JournalAudit.ReadAllAsync(inner)));
    }

    /// <summary>A farm journal that can be switched off: every call fails as a dropped database connection would.</summary>
    private sealed class SwitchableJournal(IJournal inner) : IJournal
    {
        public volatile bool Down;

        private void ThrowIfDown()
        {
            if (Down)
            {
                throw new IOException("connection refused (the farm database is down)");
            }
        }

        public Task<IReadOnlyList<JournalEntry>> AppendAsync(string persistenceId, long expectedSequenceNr, IReadOnlyList<IFarmEvent> events, string tags, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return inner.AppendAsync(persistenceId, expectedSequenceNr, events, tags, cancellationToken);
        }

        public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return inner.HighestSequenceNrAsync(persistenceId, cancellationToken);
        }

        public Task<IReadOnlyList<JournalEntry>> ReadStreamAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return inner.ReadStreamAsync(persistenceId, fromSequenceNr, cancellationToken);
        }

        public Task<IReadOnlyList<JournalEntry>> ReadAllAsync(long afterOrdering, int maxCount, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return inner.ReadAllAsync(afterOrdering, maxCount, cancellationToken);
        }

        public Task WaitForNewEventsAsync(long afterOrdering, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return inner.WaitForNewEventsAsync(afterOrdering, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
