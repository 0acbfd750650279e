using Microsoft.Data.Sqlite;

namespace Farm.Node.Tests.Journal;

public sealed class SqliteJournalStorageTests
{
    [Fact]
    public async Task The_journal_file_is_in_wal_mode()
    {
        await using var scope = new JournalScope();
        await scope.OpenAsync();

        await using var connection = new SqliteConnection($"Data Source={scope.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }
}
