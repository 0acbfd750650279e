namespace Farm.Node.Tests.Journal;

public sealed class SqliteJournalNotificationTests
{
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Waiting_for_new_events_sees_an_append_by_another_journal_on_the_file_at_the_next_poll()
    {
        await using var scope = new JournalScope();
        var tail = await scope.OpenAsync();
        var writer = await scope.OpenAsync();
        var wait = tail.WaitForNewEventsAsync(0, Guard());
        await scope.Time.WaitForArmedTimersAsync(1, Guard());

        await writer.AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);
        Assert.False(wait.IsCompleted);
        scope.Time.Advance(JournalScope.Options.PollInterval);

        await wait;
    }
}
