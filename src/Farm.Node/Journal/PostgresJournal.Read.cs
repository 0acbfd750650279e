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
        return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
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
        return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
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
}
