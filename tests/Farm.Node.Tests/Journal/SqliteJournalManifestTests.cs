using Farm.Node.Journal;
using Microsoft.Data.Sqlite;

namespace Farm.Node.Tests.Journal;

public sealed class SqliteJournalManifestTests
{
    [Fact]
    public async Task Reading_a_row_with_an_unknown_manifest_fails_naming_the_manifest_and_ordering()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        await journal.AppendAsync("drive-1", 0, JournalScope.DriveEvents("drive-1", 1), "", CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={scope.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO event_journal (persistence_id, sequence_nr, manifest, payload, timestamp)
                VALUES ('drive-1', 2, 'DiscLevitated', '{}', 0);
                """;
            await insert.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<UnknownEventManifestException>(() => journal.ReadAllAsync(0, 10, CancellationToken.None));

        Assert.Equal(("DiscLevitated", 2L), (error.Manifest, error.Ordering));
        Assert.Contains("DiscLevitated", error.Message, StringComparison.Ordinal);
    }
}
