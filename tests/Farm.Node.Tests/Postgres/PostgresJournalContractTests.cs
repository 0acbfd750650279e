using Farm.Node.Journal;
using Farm.Node.Tests.Journal;
using Farm.Testing;
using Npgsql;

namespace Farm.Node.Tests.Postgres;

/// <summary>The journal contract on a fresh database of the test run's private PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresJournalContractTests(PostgresServer server) : JournalContract<PostgresJournal>
{
    private PostgresScope? _scope;

    private PostgresScope Scope => _scope ?? throw new InvalidOperationException("the test's database is created in InitializeAsync");

    protected override ManualTimeProvider Time => Scope.Time;

    public override async Task InitializeAsync() => _scope = await PostgresScope.CreateAsync(server);

    public override async Task DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
    }

    protected override Task<PostgresJournal> OpenAsync() => Scope.OpenAsync();

    protected override Task<long> CountStoredRowsAsync() => Scope.ScalarAsync<long>("SELECT count(*) FROM event_journal;");

    protected override async Task<long> InsertRowBehindTheJournalsBackAsync(string persistenceId, long sequenceNr, string manifest)
    {
        var connection = await Scope.ConnectAsync();
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO event_journal (ordering, persistence_id, sequence_nr, manifest, payload, timestamp)
            VALUES (nextval('event_journal_ordering_seq'), @persistenceId, @sequenceNr, @manifest, '{}', 0) RETURNING ordering;
            """,
            connection);
        insert.Parameters.AddWithValue("persistenceId", persistenceId);
        insert.Parameters.AddWithValue("sequenceNr", sequenceNr);
        insert.Parameters.AddWithValue("manifest", manifest);
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
