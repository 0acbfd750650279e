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

    [Fact]
    public async Task Events_survive_closing_and_reopening_the_journal()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        var stored = await journal.AppendAsync("tower-1", 0, JournalScope.DriveEvents("drive-1", 5), "tower", CancellationToken.None);
        await journal.DisposeAsync();

        var reopened = await scope.OpenAsync();

        Assert.Equal(stored, await reopened.ReadStreamAsync("tower-1", 1, CancellationToken.None));
        Assert.Equal(5, await reopened.HighestSequenceNrAsync("tower-1", CancellationToken.None));
    }

    [Fact]
    public async Task Loading_a_snapshot_returns_the_latest_one_saved()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Writing", 48, ["job-1"]), CancellationToken.None);
        scope.Time.Advance(TimeSpan.FromMinutes(1));
        var latest = new DriveSnapshot("Idle", 0, ["job-1", "job-2"]);
        await journal.SaveSnapshotAsync("drive-1", 7, latest, CancellationToken.None);
        await journal.SaveSnapshotAsync("drive-2", 9, new DriveSnapshot("Offline", 0, []), CancellationToken.None);

        var loaded = await journal.LoadSnapshotAsync<DriveSnapshot>("drive-1", CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(7, loaded.SequenceNr);
        Assert.Equal(scope.Time.GetUtcNow(), loaded.Created);
        Assert.Equal(latest.State, loaded.State.State);
        Assert.Equal(latest.Jobs, loaded.State.Jobs);
        Assert.Null(await journal.LoadSnapshotAsync<DriveSnapshot>("drive-3", CancellationToken.None));
    }

    public sealed record DriveSnapshot(string State, long LastLba, IReadOnlyList<string> Jobs);
}
