using Farm.Node.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Farm.Node.Leadership;

/// <summary>
/// Leader election among controllers: a session-level PostgreSQL advisory lock held on a
/// dedicated (unpooled) connection. The server releases it when that session ends, so a leader
/// that dies, or whose backend is terminated, frees it for a standby at once.
/// </summary>
/// <remarks>
/// <para>
/// <b>Fencing.</b> The lock says who <i>should</i> lead; it cannot stop a deposed leader that has
/// not noticed yet (a network cut is noticed only by the next failed
/// <see cref="PostgresLeaderLockOptions.HealthCheckInterval"/> check) from sending one more append.
/// The journal does: every controller decision is appended to the controller stream with the
/// stream's expected sequence number. A new leader rebuilds from snapshot + replay, so it knows
/// the head, and its first append moves it; any later append by the old leader carries the
/// stale expected sequence number and fails with <see cref="JournalConcurrencyException"/>
/// (the check and the (persistence_id, sequence_nr) unique constraint stop it even when both
/// race). If the old leader's append wins that race instead, the new leader's own append fails
/// the same way, and it replays the stream before deciding again: either way every decision is
/// made on the full history, and none is applied twice. A controller must treat that exception
/// as "step down or re-read", never retry blindly with a bumped number.
/// </para>
/// <para>Not a substitute for the fence: after <see cref="LostLeadership"/>, stop deciding.</para>
/// </remarks>
public sealed class PostgresLeaderLock : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly PostgresLeaderLockOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _connection;
    private Term? _term;
    private TaskCompletionSource _lost = NewSignal();
    private int _disposed;

    public PostgresLeaderLock(string connectionString, TimeProvider timeProvider, PostgresLeaderLockOptions options, ILogger<PostgresLeaderLock>? logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Unpooled: a pooled connection handed back while holding the lock would keep it for
        // whoever borrowed it next. TCP keepalive lets the server end a vanished leader's session.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, TcpKeepAlive = true };
        _dataSource = NpgsqlDataSource.Create(builder);
        _time = timeProvider;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised (on a pool thread) when the lock's connection broke while leading: this process no longer leads.</summary>
    public event EventHandler<LeadershipLostEventArgs>? LostLeadership;

    /// <summary>Whether this instance holds the lock, as far as it knows (see the remarks on fencing).</summary>
    public bool IsLeader => Volatile.Read(ref _term) is not null;

    /// <summary>
    /// Completes when the leadership currently held (or, if none, the next one acquired) is lost
    /// because its connection broke; not when it is released by <see cref="DisposeAsync"/>.
    /// </summary>
    public Task WhenLost => Volatile.Read(ref _lost).Task;

    /// <summary>The server process holding the lock's session, for operators and tests.</summary>
    internal int? BackendProcessId { get; private set; }

    /// <summary>Takes the lock if it is free; true if this instance leads (already or now), false if another session holds it.</summary>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (IsLeader)
        {
            return true;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_term is not null)
            {
                return true;
            }

            bool acquired;
            try
            {
                _connection ??= await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key);", _connection);
                command.Parameters.AddWithValue("key", _options.LockKey);
                acquired = (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }
            catch
            {
                // Whatever state the connection is in, the next attempt starts on a fresh one.
                await DropConnectionAsync().ConfigureAwait(false);
                throw;
            }

            if (!acquired)
            {
                return false;
            }

            if (_lost.Task.IsCompleted)
            {
                Volatile.Write(ref _lost, NewSignal());
            }

            BackendProcessId = _connection.ProcessID;
            var term = new Term(_connection, _lost);
            term.Monitor = Task.Run(() => MonitorAsync(term), CancellationToken.None);
            Volatile.Write(ref _term, term);
            PostgresJournalLog.LeadershipAcquired(_logger, _options.LockKey, _connection.ProcessID);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Tries every <see cref="PostgresLeaderLockOptions.AcquireRetryInterval"/> until this instance leads; database errors are logged and retried.</summary>
    public async Task WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if (await TryAcquireAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                PostgresJournalLog.AcquireFailed(_logger, _options.LockKey, _options.AcquireRetryInterval, ex);
            }

            await Task.Delay(_options.AcquireRetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the lock if held (closing the session would release it anyway) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var term = Volatile.Read(ref _term);
        if (term is not null)
        {
            await term.Stop.CancelAsync().ConfigureAwait(false);
            await term.Monitor.ConfigureAwait(false);
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_term is not null && _connection is not null)
            {
                try
                {
                    await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key);", _connection);
                    command.Parameters.AddWithValue("key", _options.LockKey);
                    await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                    PostgresJournalLog.LeadershipReleased(_logger, _options.LockKey);
                }
                catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    PostgresJournalLog.ReleaseFailed(_logger, _options.LockKey, ex);
                }

                Volatile.Write(ref _term, null);
            }

            await DropConnectionAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        term?.Stop.Dispose();
        _gate.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>While leading, the connection is the monitor's alone: it waits on the socket (a terminated backend says so at once) and makes a round trip every interval.</summary>
    private async Task MonitorAsync(Term term)
    {
        try
        {
            while (true)
            {
                await term.Connection.WaitAsync(_options.HealthCheckInterval, term.Stop.Token).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT 1;", term.Connection);
                await command.ExecuteScalarAsync(term.Stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (term.Stop.IsCancellationRequested)
        {
            // Released by DisposeAsync.
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
            await OnLostAsync(term, ex).ConfigureAwait(false);
        }
    }

    private async Task OnLostAsync(Term term, Exception cause)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_term != term)
            {
                return;
            }

            Volatile.Write(ref _term, null);
            await DropConnectionAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        PostgresJournalLog.LeadershipLost(_logger, _options.LockKey, cause);
        term.Lost.TrySetResult();
        LostLeadership?.Invoke(this, new LeadershipLostEventArgs(cause));
    }

    private async Task DropConnectionAsync()
    {
        var connection = _connection;
        _connection = null;
        BackendProcessId = null;
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One period of leadership: the connection holding the lock and its monitor.</summary>
    private sealed class Term(NpgsqlConnection connection, TaskCompletionSource lost)
    {
        public NpgsqlConnection Connection { get; } = connection;

        public TaskCompletionSource Lost { get; } = lost;

        public CancellationTokenSource Stop { get; } = new();

        public Task Monitor { get; set; } = Task.CompletedTask;
    }
}
