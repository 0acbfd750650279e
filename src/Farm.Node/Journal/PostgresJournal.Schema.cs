using Npgsql;

namespace Farm.Node.Journal;

public sealed partial class PostgresJournal
{
    // Advisory lock keys (per database). ASCII "FARMSCHM" and "FARMORDR".
    private const long SchemaLockKey = 0x4641524D_5343484D;
    private const long OrderingLockKey = 0x4641524D_4F524452;

    private const string NotificationChannel = "farm_journal";

    // The Akka.Persistence.Sql shape plus transaction_id, the tail's watermark (see the class
    // remarks). ordering has no default on purpose: orderings come only from ReserveOrderingsAsync.
    // timestamp is Unix milliseconds, as in the SQLite journal, so entries compare equal across stores.
    private const string Schema = """
        CREATE SEQUENCE IF NOT EXISTS event_journal_ordering_seq AS BIGINT;
        CREATE TABLE IF NOT EXISTS event_journal (
            ordering       BIGINT  NOT NULL PRIMARY KEY,
            persistence_id TEXT    NOT NULL,
            sequence_nr    BIGINT  NOT NULL,
            manifest       TEXT    NOT NULL,
            payload        JSONB   NOT NULL,
            timestamp      BIGINT  NOT NULL,
            tags           TEXT    NOT NULL DEFAULT '',
            deleted        BOOLEAN NOT NULL DEFAULT FALSE,
            transaction_id XID8    NOT NULL DEFAULT pg_current_xact_id(),
            CONSTRAINT event_journal_stream_sequence UNIQUE (persistence_id, sequence_nr)
        );
        ALTER SEQUENCE event_journal_ordering_seq OWNED BY event_journal.ordering;
        CREATE TABLE IF NOT EXISTS snapshot (
            persistence_id TEXT   NOT NULL,
            sequence_nr    BIGINT NOT NULL,
            created        BIGINT NOT NULL,
            manifest       TEXT   NOT NULL,
            payload        JSONB  NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)
        );
        """;

    private static async Task CreateSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        // CREATE ... IF NOT EXISTS is not safe against itself: two sessions may both find the
        // table missing and one fails on the catalog's unique index. The advisory lock makes
        // processes starting at once take turns; it is released with the transaction.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", connection, transaction))
        {
            command.Parameters.AddWithValue("key", SchemaLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
