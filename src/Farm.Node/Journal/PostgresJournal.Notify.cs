using Npgsql;

namespace Farm.Node.Journal;

public sealed partial class PostgresJournal
{
    private readonly Lock _listenerGate = new();

    // Signalled by the next append through this instance, a notification, or a (re)connection of
    // the listener.
    private readonly AppendSignal _appended = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _listener;

    /// <summary>Completes once the listening connection has subscribed for the first time (tests wait for it).</summary>
    internal Task Listening => _listening.Task;

    public async Task WaitForNewEventsAsync(long afterOrdering, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        EnsureListening();

        // A notification (any process's append committed), our own append, or the poll: the
        // last also covers what sends no notification, such as an unrelated transaction
        // ending and so moving the watermark over rows already committed.
        await _appended.WaitAsync(
            ct => HasSafeEventsAfterAsync(afterOrdering, ct),
            _options.PollInterval,
            _time,
            cancellationToken).ConfigureAwait(false);
    }

    private void EnsureListening()
    {
        lock (_listenerGate)
        {
            if (_listener is null && Volatile.Read(ref _disposed) == 0)
            {
                _listener = Task.Run(() => ListenAsync(_disposing.Token));
            }
        }
    }

    private async Task StopListeningAsync()
    {
        Task? listener;
        lock (_listenerGate)
        {
            listener = _listener;
        }

        if (listener is not null)
        {
            await listener.ConfigureAwait(false);
        }
    }

    /// <summary>Holds a connection subscribed to the channel until disposal, reopening it with back-off whenever it breaks.</summary>
    private async Task ListenAsync(CancellationToken stopping)
    {
        var delay = _options.ReconnectMinDelay;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {NotificationChannel};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                }

                PostgresJournalLog.Listening(_logger, NotificationChannel);
                delay = _options.ReconnectMinDelay;
                _listening.TrySetResult();

                // Appends committed while no connection listened sent notifications nobody got.
                SignalAppended();
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke, the listener must live on: it is the tails' promptness.
                PostgresJournalLog.ListenerBroke(_logger, NotificationChannel, delay, ex);

                // Waiters fall back to their poll meanwhile; wake them so they look once now.
                SignalAppended();
            }

            try
            {
                await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e) => SignalAppended();

    private void SignalAppended() => _appended.Signal();
}
