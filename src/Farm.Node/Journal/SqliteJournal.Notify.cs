namespace Farm.Node.Journal;

public sealed partial class SqliteJournal
{
    // Completed by the next append through this instance, then replaced: waiters take the current
    // one, so an append between their check and their wait still wakes them.
    private TaskCompletionSource _appended = NewAppendSignal();

    public async Task WaitForNewEventsAsync(long afterOrdering, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            var appended = Volatile.Read(ref _appended).Task;
            if (await HighestOrderingAsync(cancellationToken).ConfigureAwait(false) > afterOrdering)
            {
                return;
            }

            // Woken by our own appends at once; other instances and processes on the file are seen
            // by the poll.
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pollDue = Task.Delay(_options.PollInterval, _time, poll.Token);
            await Task.WhenAny(appended, pollDue).ConfigureAwait(false);
            await poll.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static TaskCompletionSource NewAppendSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalAppended() => Interlocked.Exchange(ref _appended, NewAppendSignal()).TrySetResult();
}
