using Farm.Messages;
using Microsoft.Data.Sqlite;

namespace Farm.Node.Journal;

public sealed partial class SqliteJournal
{
    private const int SqliteConstraintUnique = 2067; // SQLITE_CONSTRAINT_UNIQUE, the extended result code

    public async Task<IReadOnlyList<JournalEntry>> AppendAsync(
        string persistenceId,
        long expectedSequenceNr,
        IReadOnlyList<IFarmEvent> events,
        string tags,
        CancellationToken cancellationToken)
    {
        JournalRows.ValidateAppend(persistenceId, expectedSequenceNr, events, tags);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (events.Count == 0)
        {
            return [];
        }

        // Serialize before taking the lock: an unregistered event type fails here, touching nothing.
        var rows = JournalRows.Encode(events);
        var timestamp = JournalRows.Timestamp(_time);

        IReadOnlyList<JournalEntry> stored;
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            stored = await AppendInTransactionAsync(persistenceId, expectedSequenceNr, rows, tags, timestamp, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }

        SignalAppended();
        return stored;
    }

    public async Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return await HighestSequenceNrAsync(connection, null, persistenceId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<JournalEntry>> AppendInTransactionAsync(
        string persistenceId,
        long expectedSequenceNr,
        List<EncodedEvent> rows,
        string tags,
        DateTimeOffset timestamp,
        CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE (deferred: false): the file's write lock is taken now, so the head read
        // below stays true until commit, whichever process or instance writes next. A deferred
        // transaction would read under a snapshot another writer can invalidate before our insert.
        cancellationToken.ThrowIfCancellationRequested();
        await using var transaction = _writer.BeginTransaction(deferred: false);
        var actual = await HighestSequenceNrAsync(_writer, transaction, persistenceId, cancellationToken).ConfigureAwait(false);
        if (actual != expectedSequenceNr)
        {
            throw new JournalConcurrencyException(persistenceId, expectedSequenceNr, actual);
        }

        using var insert = _writer.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO event_journal (persistence_id, sequence_nr, manifest, payload, timestamp, tags)
            VALUES ($persistenceId, $sequenceNr, $manifest, $payload, $timestamp, $tags)
            RETURNING ordering;
            """;
        insert.Parameters.AddWithValue("$persistenceId", persistenceId);
        var sequenceNr = insert.Parameters.Add("$sequenceNr", SqliteType.Integer);
        var manifest = insert.Parameters.Add("$manifest", SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        insert.Parameters.AddWithValue("$timestamp", timestamp.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$tags", tags);

        var stored = new List<JournalEntry>(rows.Count);
        try
        {
            foreach (var row in rows)
            {
                var next = expectedSequenceNr + stored.Count + 1;
                sequenceNr.Value = next;
                manifest.Value = row.Manifest;
                payload.Value = row.Payload;
                var ordering = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                stored.Add(new JournalEntry(ordering, persistenceId, next, row.Manifest, row.Event, timestamp, tags));
            }
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            // Only a writer that bypassed the immediate transaction (another tool) gets here; it is
            // the same conflict and the caller handles it the same way.
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            var head = await HighestSequenceNrAsync(_writer, null, persistenceId, CancellationToken.None).ConfigureAwait(false);
            throw new JournalConcurrencyException(persistenceId, expectedSequenceNr, head, ex);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    private static async Task<long> HighestSequenceNrAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        string persistenceId,
        CancellationToken cancellationToken)
    {
        // Deleted rows count: a sequence number is never handed out twice.
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(sequence_nr), 0) FROM event_journal WHERE persistence_id = $persistenceId;";
        command.Parameters.AddWithValue("$persistenceId", persistenceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
