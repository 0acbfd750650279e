using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Farm.Node.Journal;

/// <summary>
/// The journal on PostgreSQL (Npgsql): the multi-host farm's bus. Many processes append at once;
/// each append is one transaction on a pooled connection, checked against the stream's head and
/// the (persistence_id, sequence_nr) unique constraint.
/// </summary>
/// <remarks>
/// <para>
/// <b>The tail that never skips.</b> Concurrent transactions commit in any order, so a plain
/// "ordering &gt; last seen" reader can pass an ordering whose row is committed later. This
/// journal reads up to a watermark derived from transaction ids:
/// </para>
/// <list type="number">
/// <item>Every row stores the id of the transaction that wrote it
/// (<c>transaction_id xid8 DEFAULT pg_current_xact_id()</c>).</item>
/// <item>An append assigns its transaction id and reserves its orderings together, under a
/// short transaction-level advisory lock taken inside a savepoint that is rolled back at once
/// (which releases the lock but keeps the transaction id and the sequence values, both
/// non-transactional). So across appends, transaction ids and orderings are handed out in the
/// same order: <i>if append X's transaction id is lower than append Y's, every ordering of X is
/// lower than every ordering of Y</i>. Writers are serialised only for that one statement; the
/// inserts and the commits (the fsync) run in parallel.</item>
/// <item><see cref="ReadAllAsync"/> returns only rows whose <c>transaction_id</c> is below
/// <c>pg_snapshot_xmin(pg_current_snapshot())</c>, the oldest transaction still running when the
/// query's snapshot was taken. Every transaction below it has ended, so those rows are final; every
/// transaction that can still commit has a transaction id at or above it (or none yet, and then
/// a higher one), hence by (2) only orderings above every row returned. The rows returned are a
/// prefix of the journal's final order, and a tail that continues after the last ordering it
/// read never misses one.</item>
/// </list>
/// <para>
/// The price: any transaction that holds a transaction id (any write, in any database of the
/// cluster: transaction ids are cluster-wide; also a session left idle in transaction, or a
/// prepared transaction) holds the watermark back until it ends. A long-running writer delays
/// tails; it never makes them skip. Tails must read from the primary.
/// Rows must be written by this class: the ordering column has no default, so a writer that
/// bypasses the reservation fails instead of breaking the rule in (2).
/// </para>
/// <para>
/// <b>Notifications.</b> Each append sends <c>pg_notify('farm_journal', last ordering)</c> in its
/// transaction (delivered at commit). <see cref="WaitForNewEventsAsync"/> listens on a dedicated
/// connection, reopened with back-off when it breaks, and polls every
/// <see cref="PostgresJournalOptions.PollInterval"/> as a fallback.
/// </para>
/// </remarks>
public sealed partial class PostgresJournal : IJournal, ISnapshotStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;
    private readonly PostgresJournalOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposing = new();
    private int _disposed;

    private PostgresJournal(NpgsqlDataSource dataSource, bool ownsDataSource, TimeProvider time, PostgresJournalOptions options, ILogger logger)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>Opens the journal in the database named by <paramref name="connectionString"/>, creating its tables if missing; the journal owns its data source.</summary>
    public static async Task<PostgresJournal> OpenAsync(
        string connectionString,
        TimeProvider timeProvider,
        PostgresJournalOptions options,
        ILogger<PostgresJournal>? logger,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            return await OpenAsync(dataSource, ownsDataSource: true, timeProvider, options, logger, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens the journal on a data source the caller owns (and disposes after the journal), creating its tables if missing.</summary>
    public static Task<PostgresJournal> OpenAsync(
        NpgsqlDataSource dataSource,
        TimeProvider timeProvider,
        PostgresJournalOptions options,
        ILogger<PostgresJournal>? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return OpenAsync(dataSource, ownsDataSource: false, timeProvider, options, logger, cancellationToken);
    }

    private static async Task<PostgresJournal> OpenAsync(
        NpgsqlDataSource dataSource,
        bool ownsDataSource,
        TimeProvider timeProvider,
        PostgresJournalOptions options,
        ILogger<PostgresJournal>? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        await CreateSchemaAsync(dataSource, cancellationToken).ConfigureAwait(false);
        return new PostgresJournal(dataSource, ownsDataSource, timeProvider, options, (ILogger?)logger ?? NullLogger.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        await StopListeningAsync().ConfigureAwait(false);
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _disposing.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
