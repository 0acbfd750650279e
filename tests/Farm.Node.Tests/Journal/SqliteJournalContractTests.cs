using System.Diagnostics.CodeAnalysis;
using Farm.Node.Journal;
using Farm.Testing;
using Microsoft.Data.Sqlite;

namespace Farm.Node.Tests.Journal;

/// <summary>The journal contract on a fresh SQLite file in a temporary folder.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xunit disposes the scope through IAsyncLifetime.DisposeAsync")]
public sealed class SqliteJournalContractTests : JournalContract<SqliteJournal>
{
    private JournalScope? _scope;

    private JournalScope Scope => _scope ?? throw new InvalidOperationException("the test's folder is created in InitializeAsync");

    protected override ManualTimeProvider Time => Scope.Time;

    public override Task InitializeAsync()
    {
        _scope = new JournalScope();
        return Task.CompletedTask;
    }

    public override async Task DisposeAsync()
    {
        if (_scope is not null)
        {
            await _scope.DisposeAsync();
        }
    }

    protected override Task<SqliteJournal> OpenAsync() => Scope.OpenAsync();

    protected override async Task<long> CountStoredRowsAsync()
    {
        await using var connection = await Scope.ConnectAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM event_journal;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    protected override async Task<long> InsertRowBehindTheJournalsBackAsync(string persistenceId, long sequenceNr, string manifest)
    {
        await using var connection = await Scope.ConnectAsync();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO event_journal (persistence_id, sequence_nr, manifest, payload, timestamp)
            VALUES ($persistenceId, $sequenceNr, $manifest, '{}', 0) RETURNING ordering;
            """;
        insert.Parameters.AddWithValue("$persistenceId", persistenceId);
        insert.Parameters.AddWithValue("$sequenceNr", sequenceNr);
        insert.Parameters.AddWithValue("$manifest", manifest);
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
