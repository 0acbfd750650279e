namespace Farm.Node.Tests.Journal;

public sealed class SqliteJournalNotificationTests
{
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Waiting_for_new_events_completes_after_an_append_through_the_same_journal()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        var wait = journal.WaitForNewEventsAsync(0, Guard());
        await scope.Time.WaitForArmedTimersAsync(1, Guard());

        Assert.False(wait.IsCompleted);
        await journal.AppendAsync("drive-1", 0, JournalScope.DriveEvents("drive-1", 1), "", CancellationToken.None);

        // The clock never moves: only the in-process signal can have woken the waiter.
        await wait;
    }

    [Fact]
    public async Task Waiting_for_new_events_sees_an_append_by_another_journal_on_the_file_at_the_next_poll()
    {
        await using var scope = new JournalScope();
        var tail = await scope.OpenAsync();
        var writer = await scope.OpenAsync();
        var wait = tail.WaitForNewEventsAsync(0, Guard());
        await scope.Time.WaitForArmedTimersAsync(1, Guard());

        await writer.AppendAsync("drive-1", 0, JournalScope.DriveEvents("drive-1", 1), "", CancellationToken.None);
        Assert.False(wait.IsCompleted);
        scope.Time.Advance(JournalScope.Options.PollInterval);

        await wait;
    }

    [Fact]
    public async Task Waiting_for_new_events_returns_at_once_when_later_events_exist()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        var stored = await journal.AppendAsync("drive-1", 0, JournalScope.DriveEvents("drive-1", 2), "", CancellationToken.None);

        await journal.WaitForNewEventsAsync(stored[0].Ordering, Guard());
    }
}
