using Microsoft.Data.Sqlite;

namespace Farm.Node.Journal;

/// <summary>
/// The journal on one SQLite file (WAL): the embedded farm's bus and a node's local journal.
/// Appends go through one writer connection, one at a time; reads open their own connections,
/// which WAL lets run beside the writer. Several instances, in one or several processes, may
/// share a file: SQLite's write lock orders their appends.
/// </summary>
public sealed partial class SqliteJournal : IJournal, ISnapshotStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SqliteJournalOptions _options;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private bool _disposed;

    private SqliteJournal(string connectionString, SqliteConnection writer, TimeProvider time, SqliteJournalOptions options)
    {
        _connectionString = connectionString;
        _writer = writer;
        _time = time;
        _options = options;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath => _writer.DataSource;

    /// <summary>Opens (creating if missing) the journal at <paramref name="databasePath"/> with <see cref="SqliteJournalOptions.Default"/>.</summary>
    public static Task<SqliteJournal> OpenAsync(string databasePath, TimeProvider timeProvider, CancellationToken cancellationToken)
        => OpenAsync(databasePath, timeProvider, SqliteJournalOptions.Default, cancellationToken);

    /// <summary>Opens (creating if missing) the journal at <paramref name="databasePath"/>: WAL mode, schema, writer connection.</summary>
    public static async Task<SqliteJournal> OpenAsync(
        string databasePath,
        TimeProvider timeProvider,
        SqliteJournalOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var fullPath = Path.GetFullPath(databasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        }.ToString();

        var writer = new SqliteConnection(connectionString);
        try
        {
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ConfigureWriterAsync(writer, options, cancellationToken).ConfigureAwait(false);
            await CreateSchemaAsync(writer, cancellationToken).ConfigureAwait(false);
            return new SqliteJournal(connectionString, writer, timeProvider, options);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        // Wait for an append in flight, so it is committed or rolled back before the connection closes.
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            await _writer.DisposeAsync().ConfigureAwait(false);

            // Pooled reader connections would keep the file (and its -wal/-shm) open after the journal is gone.
            using var forPool = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(forPool);
        }
        finally
        {
            _writeGate.Release();
        }

        _writeGate.Dispose();
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds};", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
