using Farm.Node.Leadership;

namespace Farm.Node.Tests.Postgres;

[Collection(PostgresTests.Name)]
public sealed class PostgresLeaderLockTests(PostgresServer server)
{
    private static readonly PostgresLeaderLockOptions Options = PostgresLeaderLockOptions.Default with
    {
        AcquireRetryInterval = TimeSpan.FromMilliseconds(50),
        HealthCheckInterval = TimeSpan.FromMilliseconds(200),
    };

    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task Of_two_candidates_exactly_one_leads()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var first = scope.Track(NewLock(scope));
        var second = scope.Track(NewLock(scope));

        var results = await Task.WhenAll(first.TryAcquireAsync(Guard()), second.TryAcquireAsync(Guard()));

        Assert.Single(results, r => r);
        Assert.Equal(results, new[] { first.IsLeader, second.IsLeader });
        var leader = first.IsLeader ? first : second;
        Assert.True(await leader.TryAcquireAsync(Guard()));
        Assert.False(await (first.IsLeader ? second : first).TryAcquireAsync(Guard()));
    }

    [Fact]
    public async Task When_the_leader_disposes_its_lock_the_standby_takes_over()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var leader = NewLock(scope);
        var standby = scope.Track(NewLock(scope));
        Assert.True(await leader.TryAcquireAsync(Guard()));
        var takeover = standby.WaitForLeadershipAsync(Guard());
        await Task.Delay(200);
        Assert.False(takeover.IsCompleted);

        await leader.DisposeAsync();

        await takeover.WaitAsync(Guard());
        Assert.True(standby.IsLeader);
        Assert.False(leader.IsLeader);
        Assert.False(leader.WhenLost.IsCompleted); // released, not lost
    }

    [Fact]
    public async Task When_the_leaders_connection_is_killed_it_reports_the_loss_and_the_standby_takes_over()
    {
        await using var scope = await PostgresScope.CreateAsync(server);
        var leader = scope.Track(NewLock(scope));
        var standby = scope.Track(NewLock(scope));
        Assert.True(await leader.TryAcquireAsync(Guard()));
        var lostEvent = new TaskCompletionSource<LeadershipLostEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        leader.LostLeadership += (_, e) => lostEvent.TrySetResult(e);
        var whenLost = leader.WhenLost;
        var takeover = standby.WaitForLeadershipAsync(Guard());

        Assert.True(await scope.ScalarAsync<bool>($"SELECT pg_terminate_backend({leader.BackendProcessId});"));

        await takeover.WaitAsync(Guard());
        var lost = await lostEvent.Task.WaitAsync(Guard());
        await whenLost.WaitAsync(Guard());
        Assert.False(leader.IsLeader);
        Assert.True(standby.IsLeader);
        Assert.IsAssignableFrom<Npgsql.NpgsqlException>(lost.Cause);

        // The deposed leader may try again: it is a standby now.
        Assert.False(await leader.TryAcquireAsync(Guard()));
    }

    private static PostgresLeaderLock NewLock(PostgresScope scope) =>
        new(scope.ConnectionString, TimeProvider.System, Options, logger: null);
}
