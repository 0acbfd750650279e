using Farm.Node.Journal;
using Farm.Node.Tests.Journal;

namespace Farm.Node.Tests.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresJournalAppendTests(PostgresServer server)
{
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

        var append = journal.AppendAsync("controller", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);
        await Task.Delay(200);
        Assert.False(append.IsCompleted);
        await transaction.CommitAsync();

        var conflict = await Assert.ThrowsAsync<JournalConcurrencyException>(() => append);
        Assert.Equal((0L, 1L), (conflict.ExpectedSequenceNr, conflict.ActualSequenceNr));
        Assert.IsType<Npgsql.PostgresException>(conflict.InnerException);
    }
}
