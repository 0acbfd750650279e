using Npgsql;
using NpgsqlTypes;

namespace Farm.Node.Journal;

public sealed partial class PostgresJournal
{
    public async Task SaveSnapshotAsync<TState>(string persistenceId, long sequenceNr, TState state, CancellationToken cancellationToken)
        where TState : notnull
    {
        SnapshotRows.ValidateSave(persistenceId, sequenceNr, state);
        ThrowIfDisposed();
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO snapshot (persistence_id, sequence_nr, created, manifest, payload)
            VALUES (@persistenceId, @sequenceNr, @created, @manifest, @payload)
            ON CONFLICT (persistence_id, sequence_nr)
            DO UPDATE SET created = EXCLUDED.created, manifest = EXCLUDED.manifest, payload = EXCLUDED.payload;
            """);
        command.Parameters.AddWithValue("persistenceId", persistenceId);
        command.Parameters.AddWithValue("sequenceNr", sequenceNr);
        command.Parameters.AddWithValue("created", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("manifest", SnapshotRows.Manifest<TState>());
        command.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, SnapshotRows.Serialize(state));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<SnapshotEntry<TState>?> LoadSnapshotAsync<TState>(string persistenceId, CancellationToken cancellationToken)
        where TState : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ThrowIfDisposed();
        await using var command = _dataSource.CreateCommand("""
            SELECT sequence_nr, created, manifest, payload::text FROM snapshot
            WHERE persistence_id = @persistenceId
            ORDER BY sequence_nr DESC
            LIMIT 1;
            """);
        command.Parameters.AddWithValue("persistenceId", persistenceId);
        return await SnapshotRows.ReadLatestAsync<TState>(command, persistenceId, cancellationToken).ConfigureAwait(false);
    }
}
