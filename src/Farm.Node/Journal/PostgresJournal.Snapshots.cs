using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Farm.Node.Journal;

public sealed partial class PostgresJournal
{
    // The manifest is the state's full type name. Loading checks it against the type asked for
    // rather than resolving a type named by the database.
    public async Task SaveSnapshotAsync<TState>(string persistenceId, long sequenceNr, TState state, CancellationToken cancellationToken)
        where TState : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNr);
        ArgumentNullException.ThrowIfNull(state);
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
        command.Parameters.AddWithValue("manifest", SnapshotManifest<TState>());
        command.Parameters.AddWithValue("payload", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(state, JournalJson.Options));
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
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var sequenceNr = reader.GetInt64(0);
        var manifest = reader.GetString(2);
        if (manifest != SnapshotManifest<TState>())
        {
            throw new InvalidDataException(
                $"snapshot of '{persistenceId}' at sequence {sequenceNr} is a '{manifest}', not the '{SnapshotManifest<TState>()}' asked for");
        }

        var state = JsonSerializer.Deserialize<TState>(reader.GetString(3), JournalJson.Options)
            ?? throw new InvalidDataException($"snapshot of '{persistenceId}' at sequence {sequenceNr} has a null payload");
        return new SnapshotEntry<TState>(persistenceId, sequenceNr, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), state);
    }

    private static string SnapshotManifest<TState>() => typeof(TState).FullName ?? typeof(TState).Name;
}
