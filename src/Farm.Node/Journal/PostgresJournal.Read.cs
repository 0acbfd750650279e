using System.Text.Json;
using Farm.Messages;
using Npgsql;

namespace Farm.Node.Journal;

public sealed partial class PostgresJournal
{
    private const string EntryColumns = "ordering, persistence_id, sequence_nr, manifest, payload::text, timestamp, tags";

    // The watermark (see the class remarks): rows of transactions that ended before the oldest
    // one still running. pg_current_snapshot() is the statement's own snapshot, the one its row
    // visibility uses, so every row below the watermark is visible to this very query.
    private const string BelowWatermark = "transaction_id < pg_snapshot_xmin(pg_current_snapshot())";

    public async Task<IReadOnlyList<JournalEntry>> ReadStreamAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ThrowIfDisposed();
        await using var command = _dataSource.CreateCommand($"""
            SELECT {EntryColumns} FROM event_journal
            WHERE persistence_id = @persistenceId AND sequence_nr >= @fromSequenceNr AND NOT deleted
            ORDER BY sequence_nr;
            """);
        command.Parameters.AddWithValue("persistenceId", persistenceId);
        command.Parameters.AddWithValue("fromSequenceNr", fromSequenceNr);
        return await ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// Returns only rows below the transaction-id watermark (class remarks): a row committed while
    /// an older transaction is still running waits for it, so the result is always a prefix of the
    /// journal's final order after <paramref name="afterOrdering"/>.
    /// </remarks>
    public async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(long afterOrdering, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterOrdering);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ThrowIfDisposed();
        await using var command = _dataSource.CreateCommand($"""
            SELECT {EntryColumns} FROM event_journal
            WHERE ordering > @afterOrdering AND NOT deleted AND {BelowWatermark}
            ORDER BY ordering
            LIMIT @maxCount;
            """);
        command.Parameters.AddWithValue("afterOrdering", afterOrdering);
        command.Parameters.AddWithValue("maxCount", maxCount);
        return await ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <see cref="ReadAllAsync"/> after <paramref name="afterOrdering"/> would return something now.</summary>
    private async Task<bool> HasSafeEventsAfterAsync(long afterOrdering, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT EXISTS (SELECT 1 FROM event_journal WHERE ordering > @afterOrdering AND NOT deleted AND {BelowWatermark});
            """);
        command.Parameters.AddWithValue("afterOrdering", afterOrdering);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<IReadOnlyList<JournalEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ordering = reader.GetInt64(0);
            var manifest = reader.GetString(3);
            entries.Add(new JournalEntry(
                ordering,
                reader.GetString(1),
                reader.GetInt64(2),
                manifest,
                Deserialize(manifest, reader.GetString(4), ordering),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetString(6)));
        }

        return entries;
    }

    private static IFarmEvent Deserialize(string manifest, string payload, long ordering)
    {
        var type = EventTypes.TypeOf(manifest) ?? throw new UnknownEventManifestException(manifest, ordering);
        return JsonSerializer.Deserialize(payload, type, JournalJson.Options) as IFarmEvent
            ?? throw new JsonException($"journal row at ordering {ordering} ({manifest}) has a null payload");
    }
}
