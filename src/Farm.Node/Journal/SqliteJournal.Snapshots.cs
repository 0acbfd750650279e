namespace Farm.Node.Journal;

public sealed partial class SqliteJournal
{
    public async Task SaveSnapshotAsync<TState>(string persistenceId, long sequenceNr, TState state, CancellationToken cancellationToken)
        where TState : notnull
    {
        SnapshotRows.ValidateSave(persistenceId, sequenceNr, state);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var payload = SnapshotRows.Serialize(state);
        var created = _time.GetUtcNow().ToUnixTimeMilliseconds();

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _writer.CreateCommand();
            command.CommandText = """
                INSERT OR REPLACE INTO snapshot (persistence_id, sequence_nr, created, manifest, payload)
                VALUES ($persistenceId, $sequenceNr, $created, $manifest, $payload);
                """;
            command.Parameters.AddWithValue("$persistenceId", persistenceId);
            command.Parameters.AddWithValue("$sequenceNr", sequenceNr);
            command.Parameters.AddWithValue("$created", created);
            command.Parameters.AddWithValue("$manifest", SnapshotRows.Manifest<TState>());
            command.Parameters.AddWithValue("$payload", payload);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<SnapshotEntry<TState>?> LoadSnapshotAsync<TState>(string persistenceId, CancellationToken cancellationToken)
        where TState : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence_nr, created, manifest, payload FROM snapshot
            WHERE persistence_id = $persistenceId
            ORDER BY sequence_nr DESC
            LIMIT 1;
            """;
        command.Parameters.AddWithValue("$persistenceId", persistenceId);
        return await SnapshotRows.ReadLatestAsync<TState>(command, persistenceId, cancellationToken).ConfigureAwait(false);
    }
}
