using Farm.Messages;
using Npgsql;
using NpgsqlTypes;

namespace Farm.Node.Journal;

public sealed partial class PostgresJournal
{
    // One round trip. The savepoint is rolled back at once: that releases the advisory lock
    // (a transaction-level lock taken inside a savepoint ends with it) but keeps what is not
    // transactional: the top-level transaction id and the sequence values. Between lock and
    // rollback this session assigns its transaction id and then its orderings, so no other
    // append can take a transaction id or an ordering in between (the class remarks say why the
    // tail depends on it). If any statement fails, the rest are skipped and the transaction is
    // aborted, which releases the lock too.
    private const string ReserveOrderingsSql = """
        SAVEPOINT farm_reserve_ordering;
        SELECT pg_current_xact_id_if_assigned() IS NULL AS fresh;
        SELECT pg_advisory_xact_lock(@key) AS locked;
        SELECT pg_current_xact_id() AS xid;
        SELECT nextval('event_journal_ordering_seq') AS ordering FROM generate_series(1, @count);
        ROLLBACK TO SAVEPOINT farm_reserve_ordering;
        """;

    // One statement for the whole append; the notification is delivered when the transaction commits.
    private const string InsertSql = """
        INSERT INTO event_journal (ordering, persistence_id, sequence_nr, manifest, payload, timestamp, tags)
        SELECT r.ordering, @persistenceId, r.sequence_nr, r.manifest, r.payload::jsonb, @timestamp, @tags
        FROM unnest(@orderings, @sequenceNrs, @manifests, @payloads) AS r(ordering, sequence_nr, manifest, payload);
        SELECT pg_notify('farm_journal', @lastOrdering::text);
        """;

    public async Task<IReadOnlyList<JournalEntry>> AppendAsync(
        string persistenceId,
        long expectedSequenceNr,
        IReadOnlyList<IFarmEvent> events,
        string tags,
        CancellationToken cancellationToken)
    {
        JournalRows.ValidateAppend(persistenceId, expectedSequenceNr, events, tags);
        ThrowIfDisposed();
        if (events.Count == 0)
        {
            return [];
        }

        // Serialize first: an unregistered event type fails here, touching nothing.
        var rows = JournalRows.Encode(events);
        var timestamp = JournalRows.Timestamp(_time);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Checked before reserving orderings, so a stale writer wastes none. Two writers can both
        // pass it; the unique constraint then stops the second (below).
        var actual = await HighestSequenceNrAsync(connection, transaction, persistenceId, cancellationToken).ConfigureAwait(false);
        if (actual != expectedSequenceNr)
        {
            throw new JournalConcurrencyException(persistenceId, expectedSequenceNr, actual);
        }

        var orderings = await ReserveOrderingsAsync(connection, transaction, rows.Count, cancellationToken).ConfigureAwait(false);
        var stored = new List<JournalEntry>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            stored.Add(new JournalEntry(orderings[i], persistenceId, expectedSequenceNr + i + 1, rows[i].Manifest, rows[i].Event, timestamp, tags));
        }

        try
        {
            await using var insert = new NpgsqlCommand(InsertSql, connection, transaction);
            insert.Parameters.AddWithValue("persistenceId", persistenceId);
            insert.Parameters.AddWithValue("timestamp", timestamp.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("tags", tags);
            insert.Parameters.AddWithValue("orderings", NpgsqlDbType.Array | NpgsqlDbType.Bigint, orderings);
            insert.Parameters.AddWithValue("sequenceNrs", NpgsqlDbType.Array | NpgsqlDbType.Bigint, stored.Select(e => e.SequenceNr).ToArray());
            insert.Parameters.AddWithValue("manifests", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.Manifest).ToArray());
            insert.Parameters.AddWithValue("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Select(r => r.Payload).ToArray());
            insert.Parameters.AddWithValue("lastOrdering", orderings[^1]);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another writer appended at the same expected sequence and committed first (this
            // insert waited on its uncommitted row, then failed). Same conflict, same exception.
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            var head = await HighestSequenceNrAsync(connection, null, persistenceId, CancellationToken.None).ConfigureAwait(false);
            throw new JournalConcurrencyException(persistenceId, expectedSequenceNr, head, ex);
        }

        // Not cancellable once the rows are in: an abandoned commit leaves the caller unsure
        // whether its events were stored, which is worse than waiting for it.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        SignalAppended();
        return stored;
    }

    public async Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ThrowIfDisposed();
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await HighestSequenceNrAsync(connection, null, persistenceId, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long[]> ReserveOrderingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ReserveOrderingsSql, connection, transaction);
        command.Parameters.AddWithValue("key", OrderingLockKey);
        command.Parameters.AddWithValue("count", count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // Results are told apart by column name: statements without rows (the savepoint) may or
        // may not show up as results. Reading to the end surfaces an error in any statement.
        bool? fresh = null;
        var orderings = new List<long>(count);
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }

            var column = reader.GetName(0);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (column == "fresh")
                {
                    fresh = reader.GetBoolean(0);
                }
                else if (column == "ordering")
                {
                    orderings.Add(reader.GetInt64(0));
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        if (fresh != true)
        {
            throw new InvalidOperationException("an append's transaction id must be assigned under the ordering lock, but this transaction already had one");
        }

        if (orderings.Count != count)
        {
            throw new InvalidOperationException($"reserved {orderings.Count} orderings for an append of {count} events");
        }

        orderings.Sort();
        return [.. orderings];
    }

    private static async Task<long> HighestSequenceNrAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        string persistenceId,
        CancellationToken cancellationToken)
    {
        // Deleted rows count: a sequence number is never handed out twice.
        await using var command = new NpgsqlCommand(
            "SELECT COALESCE(MAX(sequence_nr), 0) FROM event_journal WHERE persistence_id = @persistenceId;", connection, transaction);
        command.Parameters.AddWithValue("persistenceId", persistenceId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
