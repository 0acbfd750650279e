namespace Farm.Node.Journal;

public sealed partial class SqliteJournal
{
    // Signalled by the appends through this instance.
    private readonly AppendSignal _appended = new();

    public async Task WaitForNewEventsAsync(long afterOrdering, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Woken by our own appends at once; other instances and processes on the file are seen
        // by the poll.
        await _appended.WaitAsync(
            async ct => await HighestOrderingAsync(ct).ConfigureAwait(false) > afterOrdering,
            _options.PollInterval,
            _time,
            cancellationToken).ConfigureAwait(false);
    }

    private void SignalAppended() => _appended.Signal();
}
