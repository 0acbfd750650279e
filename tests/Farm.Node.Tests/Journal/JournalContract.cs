using Farm.Messages.Serialization;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Journal;
using Farm.Testing;

namespace Farm.Node.Tests.Journal;

/// <summary>
/// What every <see cref="IJournal"/> and <see cref="ISnapshotStore"/> must do, whatever it stores
/// in. A subclass per store gives each test a fresh, empty store; what only one store does (its
/// file mode, its watermark, its notifications) is tested beside it.
/// </summary>
public abstract class JournalContract<TJournal> : IAsyncLifetime
    where TJournal : class, IJournal, ISnapshotStore
{
    /// <summary>The clock of every journal <see cref="OpenAsync"/> opens; it moves only when the test moves it.</summary>
    protected abstract ManualTimeProvider Time { get; }

    /// <summary>Creates the fresh, empty store of one test.</summary>
    public abstract Task InitializeAsync();

    /// <summary>Disposes every journal opened, then deletes the store.</summary>
    public abstract Task DisposeAsync();

    /// <summary>Opens a journal on the test's store, beside any opened before (it sees what they wrote).</summary>
    protected abstract Task<TJournal> OpenAsync();

    /// <summary>How many rows the store's event table holds, counted behind the journals' back.</summary>
    protected abstract Task<long> CountStoredRowsAsync();

    /// <summary>Writes an event row behind the journals' back (payload <c>{}</c>); returns its ordering.</summary>
    protected abstract Task<long> InsertRowBehindTheJournalsBackAsync(string persistenceId, long sequenceNr, string manifest);

    [Fact]
    public async Task Replaying_a_stream_returns_the_appended_events_in_order_with_sequence_one_to_n()
    {
        var journal = await OpenAsync();
        var reason = new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "buffer underrun");
        IFarmEvent[] events =
        [
            new JobSubmitted("job-1", "/images/a.iso", 2_295_104, 8, VerifyMode.Full, "DVD+R", 5, Time.GetUtcNow()),
            new BurnFinished("drive-1", "job-1", 1, 2_295_104, TimeSpan.FromMinutes(7.5)),
            new BurnFailed("drive-1", "job-1", 2, 1, "Writing", 1234, reason),
            new CopyFailed("job-1", 2, 1, "drive-1", reason, DiscId: null),
        ];

        var stored = await journal.AppendAsync("drive-1", 0, events, "drive", CancellationToken.None);
        var replayed = await journal.ReadStreamAsync("drive-1", 1, CancellationToken.None);

        Assert.Equal(stored, replayed);
        Assert.Equal(events, replayed.Select(e => e.Event));
        Assert.Equal([1L, 2L, 3L, 4L], replayed.Select(e => e.SequenceNr));
        Assert.All(replayed, e => Assert.Equal(FarmManifests.ManifestOf(e.Event), e.Manifest));
        Assert.Equal(4, await journal.HighestSequenceNrAsync("drive-1", CancellationToken.None));
        Assert.Equal([3L, 4L], (await journal.ReadStreamAsync("drive-1", 3, CancellationToken.None)).Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task Appending_with_a_stale_expected_sequence_throws_and_writes_nothing()
    {
        var journal = await OpenAsync();
        await journal.AppendAsync("controller", 0, JournalEvents.DriveEvents("drive-1", 3), "", CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<JournalConcurrencyException>(
            () => journal.AppendAsync("controller", 1, JournalEvents.DriveEvents("drive-2", 2), "", CancellationToken.None));

        Assert.Equal(("controller", 1L, 3L), (conflict.PersistenceId, conflict.ExpectedSequenceNr, conflict.ActualSequenceNr));
        var stream = await journal.ReadStreamAsync("controller", 1, CancellationToken.None);
        Assert.Equal(3, stream.Count);
        Assert.All(stream, e => Assert.Equal("drive-1", ((SectorsWritten)e.Event).DriveId));
        Assert.Equal(3L, await CountStoredRowsAsync());
    }

    [Fact]
    public async Task Two_journals_on_one_store_racing_at_the_same_expected_sequence_let_exactly_one_win()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        for (var round = 0; round < 20; round++)
        {
            var expected = round * 2L;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = new[] { (first, "drive-a"), (second, "drive-b") }.Select(racer => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await racer.Item1.AppendAsync("controller", expected, JournalEvents.DriveEvents(racer.Item2, 2), "", CancellationToken.None);
                    return true;
                }
                catch (JournalConcurrencyException)
                {
                    return false;
                }
            })).ToList();
            start.SetResult();

            var won = await Task.WhenAll(attempts);

            Assert.Single(won, w => w);
        }

        var stream = await first.ReadStreamAsync("controller", 1, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), stream.Select(e => e.SequenceNr));

        // Each winner's two events stay together: no append is interleaved with another.
        Assert.All(stream.Chunk(2), pair => Assert.Equal(((SectorsWritten)pair[0].Event).DriveId, ((SectorsWritten)pair[1].Event).DriveId));
    }

    [Fact]
    public async Task Reading_all_after_an_ordering_returns_only_later_events_in_global_order_across_streams()
    {
        var journal = await OpenAsync();
        var a1 = await journal.AppendAsync("drive-a", 0, JournalEvents.DriveEvents("drive-a", 2), "", CancellationToken.None);
        var b1 = await journal.AppendAsync("drive-b", 0, JournalEvents.DriveEvents("drive-b", 1), "", CancellationToken.None);
        var a2 = await journal.AppendAsync("drive-a", 2, JournalEvents.DriveEvents("drive-a", 1), "", CancellationToken.None);
        var b2 = await journal.AppendAsync("drive-b", 1, JournalEvents.DriveEvents("drive-b", 2), "", CancellationToken.None);
        var offset = a1[^1].Ordering;

        var later = await journal.ReadAllAsync(offset, 100, CancellationToken.None);
        var firstTwo = await journal.ReadAllAsync(offset, 2, CancellationToken.None);

        Assert.Equal(b1.Concat(a2).Concat(b2), later);
        Assert.Equal(later.Select(e => e.Ordering).Order(), later.Select(e => e.Ordering));
        Assert.All(later, e => Assert.True(e.Ordering > offset));
        Assert.Equal(later.Take(2), firstTwo);
        Assert.Equal(a1.Concat(later), await journal.ReadAllAsync(0, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Reading_a_row_with_an_unknown_manifest_fails_naming_the_manifest_and_ordering()
    {
        var journal = await OpenAsync();
        await journal.AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);
        var ordering = await InsertRowBehindTheJournalsBackAsync("drive-1", 2, "DiscLevitated");

        var error = await Assert.ThrowsAsync<UnknownEventManifestException>(() => journal.ReadAllAsync(0, 10, CancellationToken.None));

        Assert.Equal(("DiscLevitated", ordering), (error.Manifest, error.Ordering));
        Assert.Contains("DiscLevitated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Waiting_for_new_events_completes_after_an_append_through_the_same_journal()
    {
        var journal = await OpenAsync();
        var wait = journal.WaitForNewEventsAsync(0, Guard());
        await Time.WaitForArmedTimersAsync(1, Guard());

        Assert.False(wait.IsCompleted);
        await journal.AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);

        // The clock never moves: the poll cannot have woken the waiter.
        await wait.WaitAsync(Guard());
    }

    [Fact]
    public async Task Waiting_for_new_events_returns_at_once_when_later_events_exist()
    {
        var journal = await OpenAsync();
        var stored = await journal.AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 2), "", CancellationToken.None);

        await journal.WaitForNewEventsAsync(stored[0].Ordering, Guard());
    }

    [Fact]
    public async Task Events_survive_closing_and_reopening_the_journal()
    {
        var journal = await OpenAsync();
        var stored = await journal.AppendAsync("tower-1", 0, JournalEvents.DriveEvents("drive-1", 5), "tower", CancellationToken.None);
        await journal.DisposeAsync();

        var reopened = await OpenAsync();

        Assert.Equal(stored, await reopened.ReadStreamAsync("tower-1", 1, CancellationToken.None));
        Assert.Equal(5, await reopened.HighestSequenceNrAsync("tower-1", CancellationToken.None));
    }

    [Fact]
    public async Task Loading_a_snapshot_returns_the_latest_one_saved()
    {
        var journal = await OpenAsync();
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Writing", 48, ["job-1"]), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));
        var latest = new DriveSnapshot("Idle", 0, ["job-1", "job-2"]);
        await journal.SaveSnapshotAsync("drive-1", 7, latest, CancellationToken.None);
        await journal.SaveSnapshotAsync("drive-2", 9, new DriveSnapshot("Offline", 0, []), CancellationToken.None);

        var loaded = await journal.LoadSnapshotAsync<DriveSnapshot>("drive-1", CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(7, loaded.SequenceNr);
        Assert.Equal(Time.GetUtcNow(), loaded.Created);
        Assert.Equal(latest.State, loaded.State.State);
        Assert.Equal(latest.Jobs, loaded.State.Jobs);
        Assert.Null(await journal.LoadSnapshotAsync<DriveSnapshot>("drive-3", CancellationToken.None));
    }

    [Fact]
    public async Task Saving_a_snapshot_at_the_same_sequence_again_replaces_it()
    {
        var journal = await OpenAsync();
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Writing", 48, []), CancellationToken.None);
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Idle", 96, []), CancellationToken.None);

        var loaded = await journal.LoadSnapshotAsync<DriveSnapshot>("drive-1", CancellationToken.None);

        Assert.Equal(("Idle", 96L), (loaded!.State.State, loaded.State.LastLba));
    }

    [Fact]
    public async Task Loading_a_snapshot_as_another_type_than_was_saved_is_refused()
    {
        var journal = await OpenAsync();
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Writing", 48, []), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidDataException>(() => journal.LoadSnapshotAsync<OtherSnapshot>("drive-1", CancellationToken.None));
    }

    [Fact]
    public async Task Several_journals_opening_a_new_store_at_once_all_succeed()
    {
        var journals = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(OpenAsync)));
        await journals[0].AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);

        Assert.Equal(1, await journals[^1].HighestSequenceNrAsync("drive-1", CancellationToken.None));
    }

    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}

public sealed record DriveSnapshot(string State, long LastLba, IReadOnlyList<string> Jobs);

public sealed record OtherSnapshot(int Value);
