namespace Farm.Node.Journal;

public sealed partial class SqliteJournal
{
    private const string EntryColumns = "ordering, persistence_id, sequence_nr, manifest, payload, timestamp, tags";

    public async Task<IReadOnlyList<JournalEntry>> ReadStreamAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {EntryColumns} FROM event_journal
            WHERE persistence_id = $persistenceId AND sequence_nr >= $fromSequenceNr AND deleted = 0
            ORDER BY sequence_nr;
            """;
        command.Parameters.AddWithValue("$persistenceId", persistenceId);
        command.Parameters.AddWithValue("$fromSequenceNr", fromSequenceNr);
        return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <remarks>
    /// Everything committed is safe to return here. SQLite has one writer at a time per file and
    /// an append holds the write lock from reading the stream head to commit, so orderings are
    /// assigned in commit order: no row can later appear below an ordering a reader has seen.
    /// (PostgreSQL commits concurrent transactions out of ordering order; its journal must read
    /// only up to a watermark.)
    /// </remarks>
    public async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(long afterOrdering, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterOrdering);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {EntryColumns} FROM event_journal
            WHERE ordering > $afterOrdering AND deleted = 0
            ORDER BY ordering
            LIMIT $maxCount;
            """;
        command.Parameters.AddWithValue("$afterOrdering", afterOrdering);
        command.Parameters.AddWithValue("$maxCount", maxCount);
        return await JournalRows.ReadEntriesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> HighestOrderingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(ordering), 0) FROM event_journal;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
