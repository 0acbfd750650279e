namespace Farm.Node.Journal;

/// <summary>
/// The wake-up behind <see cref="IJournal.WaitForNewEventsAsync"/>: a signal completed by whatever
/// may have added events (an append through this instance, a database notification), then
/// replaced. Waiters take the current one before they look at the table, so a signal between
/// their look and their wait still wakes them; a poll covers what sends no signal.
/// </summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = New();

    public void Signal() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    /// <summary>
    /// Returns once <paramref name="eventsExist"/> says so, asking it at once, after every signal
    /// and every <paramref name="pollInterval"/> on <paramref name="time"/>; or throws when cancelled.
    /// </summary>
    public async Task WaitAsync(Func<CancellationToken, Task<bool>> eventsExist, TimeSpan pollInterval, TimeProvider time, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signalled = Volatile.Read(ref _next).Task;
            if (await eventsExist(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pollDue = Task.Delay(pollInterval, time, poll.Token);
            await Task.WhenAny(signalled, pollDue).ConfigureAwait(false);
            await poll.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
