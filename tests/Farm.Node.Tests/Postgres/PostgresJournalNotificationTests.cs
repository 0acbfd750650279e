using Farm.Node.Tests.Journal;

namespace Farm.Node.Tests.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresJournalNotificationTests(PostgresServer server)
{
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Waiting_for_new_events_is_woken_by_the_notification_of_another_journals_append()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var tail = await scope.OpenAsync();
        var writer = await scope.OpenAsync();
        var wait = tail.WaitForNewEventsAsync(0, Guard());
        await tail.Listening.WaitAsync(Guard());
        await scope.Time.WaitForArmedTimersAsync(1, Guard());
        await Task.Delay(100);

        Assert.False(wait.IsCompleted);
        await writer.AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);

        // The clock never moves, so the poll never fires: only the notification can wake it.
        await wait.WaitAsync(Guard());
    }

    [Fact]
    public async Task The_poll_finds_events_a_notification_did_not_announce()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var tail = await scope.OpenAsync();
        var wait = tail.WaitForNewEventsAsync(0, Guard());
        await tail.Listening.WaitAsync(Guard());
        await scope.Time.WaitForArmedTimersAsync(1, Guard());

        // Written behind the journal's back: no notification.
        await scope.ScalarAsync<long>("""
            INSERT INTO event_journal (ordering, persistence_id, sequence_nr, manifest, payload, timestamp)
            VALUES (nextval('event_journal_ordering_seq'), 'drive-1', 1, 'x', '{}', 0) RETURNING ordering;
            """);
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        scope.Time.Advance(PostgresScope.Options.PollInterval);

        await wait.WaitAsync(Guard());
    }

    [Fact]
    public async Task After_its_listening_connection_is_killed_the_journal_reconnects_and_is_woken_by_notifications_again()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var options = PostgresScope.Options with { PollInterval = TimeSpan.FromDays(1) };
        var tail = await scope.OpenAsync(scope.Time, options);
        var writer = await scope.OpenAsync();
        var first = await writer.AppendAsync("drive-1", 0, JournalEvents.DriveEvents("drive-1", 1), "", CancellationToken.None);
        var wait = tail.WaitForNewEventsAsync(first[0].Ordering, Guard());
        await tail.Listening.WaitAsync(Guard());

        var killed = await scope.ScalarAsync<long>("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN%';
            """);
        Assert.Equal(1, killed);

        // The listener notices, arms its reconnect delay (one timer) beside the waiter's poll (another).
        await scope.Time.WaitForArmedTimersAsync(2, Guard());
        scope.Time.Advance(options.ReconnectMinDelay);
        await WaitUntilAsync(async () => await scope.ScalarAsync<long>("""
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%';
            """) == 1);
        Assert.False(wait.IsCompleted);

        await writer.AppendAsync("drive-1", 1, JournalEvents.DriveEvents("drive-1", 1, 2), "", CancellationToken.None);

        await wait.WaitAsync(Guard());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 20 s");
            await Task.Delay(20);
        }
    }
}
