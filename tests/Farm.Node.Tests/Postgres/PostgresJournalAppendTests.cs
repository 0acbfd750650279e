using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Journal;

namespace Farm.Node.Tests.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresJournalAppendTests(PostgresServer server)
{
    [Fact]
    public async Task Replaying_a_stream_returns_the_appended_events_in_order_with_sequence_one_to_n()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var journal = await scope.OpenAsync();
        var reason = new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "buffer underrun");
        IFarmEvent[] events =
        [
            new JobSubmitted("job-1", "/images/a.iso", 2_295_104, 8, VerifyMode.Full, "DVD+R", 5, scope.Time.GetUtcNow()),
            new BurnFinished("drive-1", "job-1", 1, 2_295_104, TimeSpan.FromMinutes(7.5)),
            new BurnFailed("drive-1", "job-1", 2, 1, "Writing", 1234, reason),
            new CopyFailed("job-1", 2, 1, "drive-1", reason, DiscId: null),
        ];

        var stored = await journal.AppendAsync("drive-1", 0, events, "drive", CancellationToken.None);
        var replayed = await journal.ReadStreamAsync("drive-1", 1, CancellationToken.None);

        Assert.Equal(stored, replayed);
        Assert.Equal(events, replayed.Select(e => e.Event));
        Assert.Equal([1L, 2L, 3L, 4L], replayed.Select(e => e.SequenceNr));
        Assert.All(replayed, e => Assert.Equal(EventTypes.ManifestOf(e.Event), e.Manifest));
        Assert.Equal(4, await journal.HighestSequenceNrAsync("drive-1", CancellationToken.None));
        Assert.Equal([3L, 4L], (await journal.ReadStreamAsync("drive-1", 3, CancellationToken.None)).Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task Appending_with_a_stale_expected_sequence_throws_and_writes_nothing()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var journal = await scope.OpenAsync();
        await journal.AppendAsync("controller", 0, PostgresScope.DriveEvents("drive-1", 3), "", CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<JournalConcurrencyException>(
            () => journal.AppendAsync("controller", 1, PostgresScope.DriveEvents("drive-2", 2), "", CancellationToken.None));

        Assert.Equal(("controller", 1L, 3L), (conflict.PersistenceId, conflict.ExpectedSequenceNr, conflict.ActualSequenceNr));
        var stream = await journal.ReadStreamAsync("controller", 1, CancellationToken.None);
        Assert.Equal(3, stream.Count);
        Assert.All(stream, e => Assert.Equal("drive-1", ((SectorsWritten)e.Event).DriveId));
        Assert.Equal(3L, await scope.ScalarAsync<long>("SELECT count(*) FROM event_journal;"));
    }

    [Fact]
    public async Task Two_journals_racing_at_the_same_expected_sequence_let_exactly_one_win()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var first = await scope.OpenAsync();
        var second = await scope.OpenAsync();

        for (var round = 0; round < 20; round++)
        {
            var expected = round * 2L;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = new[] { (first, "drive-a"), (second, "drive-b") }.Select(racer => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await racer.Item1.AppendAsync("controller", expected, PostgresScope.DriveEvents(racer.Item2, 2), "", CancellationToken.None);
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
    public async Task The_unique_constraint_refuses_a_racer_that_passed_the_head_check()
    {
        // A transaction holds sequence 1 of the stream uncommitted; the journal's append at
        // expected 0 passes its head check, waits on the row, and fails once the other commits.
        await using var scope = await PostgresScope.CreateAsync(server);
        var journal = await scope.OpenAsync();
        var other = await scope.ConnectAsync();
        await using var transaction = await other.BeginTransactionAsync();
        await using (var insert = new Npgsql.NpgsqlCommand(
            "INSERT INTO event_journal (ordering, persistence_id, sequence_nr, manifest, payload, timestamp) VALUES (nextval('event_journal_ordering_seq'), 'controller', 1, 'x', '{}', 0);",
            other,
            transaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var append = journal.AppendAsync("controller", 0, PostgresScope.DriveEvents("drive-1", 1), "", CancellationToken.None);
        await Task.Delay(200);
        Assert.False(append.IsCompleted);
        await transaction.CommitAsync();

        var conflict = await Assert.ThrowsAsync<JournalConcurrencyException>(() => append);
        Assert.Equal((0L, 1L), (conflict.ExpectedSequenceNr, conflict.ActualSequenceNr));
        Assert.IsType<Npgsql.PostgresException>(conflict.InnerException);
    }

    [Fact]
    public async Task Events_survive_closing_and_reopening_the_journal()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var journal = await scope.OpenAsync();
        var stored = await journal.AppendAsync("tower-1", 0, PostgresScope.DriveEvents("drive-1", 5), "tower", CancellationToken.None);
        await journal.DisposeAsync();

        var reopened = await scope.OpenAsync();

        Assert.Equal(stored, await reopened.ReadStreamAsync("tower-1", 1, CancellationToken.None));
        Assert.Equal(5, await reopened.HighestSequenceNrAsync("tower-1", CancellationToken.None));
    }

    [Fact]
    public async Task Several_journals_opening_a_new_database_at_once_all_succeed()
    {
        await using var scope = await PostgresScope.CreateAsync(server);

        var journals = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(scope.OpenAsync)));
        await journals[0].AppendAsync("drive-1", 0, PostgresScope.DriveEvents("drive-1", 1), "", CancellationToken.None);

        Assert.Equal(1, await journals[^1].HighestSequenceNrAsync("drive-1", CancellationToken.None));
    }
}
