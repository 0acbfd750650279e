namespace Farm.Node.Tests.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresJournalSnapshotTests(PostgresServer server)
{
    [Fact]
    public async Task Loading_a_snapshot_returns_the_latest_one_saved()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
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

    [Fact]
    public async Task Saving_a_snapshot_at_the_same_sequence_again_replaces_it_and_a_wrong_type_is_refused()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var journal = await scope.OpenAsync();
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Writing", 48, []), CancellationToken.None);
        await journal.SaveSnapshotAsync("drive-1", 3, new DriveSnapshot("Idle", 96, []), CancellationToken.None);

        var loaded = await journal.LoadSnapshotAsync<DriveSnapshot>("drive-1", CancellationToken.None);

        Assert.Equal(("Idle", 96L), (loaded!.State.State, loaded.State.LastLba));
        await Assert.ThrowsAsync<InvalidDataException>(() => journal.LoadSnapshotAsync<OtherSnapshot>("drive-1", CancellationToken.None));
    }

    public sealed record DriveSnapshot(string State, long LastLba, IReadOnlyList<string> Jobs);

    public sealed record OtherSnapshot(int Value);
}
