using Microsoft.Data.Sqlite;

namespace Farm.Node.Journal;

public sealed partial class SqliteJournal
{
    // The Akka.Persistence.Sql shape. AUTOINCREMENT (not just a rowid) so an ordering is never
    // reused, even after the newest rows are deleted: consumers keep offsets in it.
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS event_journal (
            ordering       INTEGER PRIMARY KEY AUTOINCREMENT,
            persistence_id TEXT    NOT NULL,
            sequence_nr    INTEGER NOT NULL,
            manifest       TEXT    NOT NULL,
            payload        TEXT    NOT NULL,
            timestamp      INTEGER NOT NULL,
            tags           TEXT    NOT NULL DEFAULT '',
            deleted        INTEGER NOT NULL DEFAULT 0,
            UNIQUE (persistence_id, sequence_nr)
        );
        CREATE TABLE IF NOT EXISTS snapshot (
            persistence_id TEXT    NOT NULL,
            sequence_nr    INTEGER NOT NULL,
            created        INTEGER NOT NULL,
            manifest       TEXT    NOT NULL,
            payload        TEXT    NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)
        );
        """;

    private static async Task ConfigureWriterAsync(SqliteConnection writer, SqliteJournalOptions options, CancellationToken cancellationToken)
    {
        // busy_timeout first: switching to WAL itself needs the lock another process may hold.
        await ExecuteAsync(writer, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};", cancellationToken).ConfigureAwait(false);

        // WAL lets readers (tails, replays) run while the writer appends; the mode is stored in the file.
        using (var command = writer.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"journal '{writer.DataSource}' could not switch to WAL mode (got '{mode}')");
            }
        }

        // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on a power cut, and an
        // acknowledged append is a promise (a burned disc, a controller decision) the farm must
        // keep. The price is one fsync per append, small beside a burn. Only the writer needs it.
        await ExecuteAsync(writer, "PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
    }

    private static async Task CreateSchemaAsync(SqliteConnection writer, CancellationToken cancellationToken)
    {
        // One transaction, so a second process opening the same new file waits instead of
        // seeing half a schema.
        cancellationToken.ThrowIfCancellationRequested();
        await using var transaction = writer.BeginTransaction(deferred: false);
        await ExecuteAsync(writer, Schema, cancellationToken, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
