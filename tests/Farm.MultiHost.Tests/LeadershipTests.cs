using Farm.Controller.Hosting;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Towers;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Farm.Node.Leadership;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Farm.MultiHost.Tests;

/// <summary>Leadership on PostgreSQL in one process: a deposed controller's decisions are refused, a lost lock stops deciding at once.</summary>
[Collection(PrivatePostgresTests.Name)]
public sealed class LeadershipTests(PrivatePostgres postgres)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_deposed_controller_s_decisions_are_refused_by_the_fence_and_it_steps_down()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var journal = await PostgresJournal.OpenAsync(connectionString, TimeProvider.System, PostgresJournalOptions.Default with { PollInterval = TimeSpan.FromMilliseconds(100) }, null, CancellationToken.None);
        var deposed = new FarmController(journal, TimeProvider.System, new SchedulerOptions(), NullLogger<FarmController>.Instance, stepDownWhenFenced: true);
        using var stop = new CancellationTokenSource(Patience);
        var running = deposed.RunAsync(stop.Token);
        await deposed.CaughtUp.WaitAsync(Patience);

        // A new leader appends to the controller stream; the old one has not noticed.
        var now = DateTimeOffset.UtcNow;
        await journal.AppendAsync(FarmController.StreamId, 0, [new DriveMaintenanceOrdered("ghost", "decided by the new leader", now)], "decision", CancellationToken.None);

        // Work appears that the old leader would assign.
        await journal.AppendAsync("tower-T1", 0, [new TowerBinsReported("T1", 5, "DVD+R", 0, 0)], "tower", CancellationToken.None);
        await journal.AppendAsync("drive-D1", 0, [new DriveCameOnline("D1", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("D1")], "drive", CancellationToken.None);
        await JobLedger.SubmitAsync(journal, new JobRequest("/i/a.iso", 100, 1, VerifyMode.Full, "DVD+R"), TimeProvider.System, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ControllerDeposedException>(() => running);
        Assert.IsType<JournalConcurrencyException>(refused.InnerException);
        var decisions = await journal.ReadStreamAsync(FarmController.StreamId, 1, CancellationToken.None);
        Assert.IsType<DriveMaintenanceOrdered>(Assert.Single(decisions).Event);
    }

    [Fact]
    public async Task A_controller_whose_lock_is_lost_stops_deciding_and_the_standby_takes_over()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var options = new ControllerHostOptions
        {
            Store = FarmStore.Parse(connectionString),
            Leadership = PostgresLeaderLockOptions.Default with { AcquireRetryInterval = TimeSpan.FromMilliseconds(200), HealthCheckInterval = TimeSpan.FromMilliseconds(200) },
        };
        using var firstOutput = new StringWriter();
        using var secondOutput = new StringWriter();
        var first = new ControllerHost(options, TimeProvider.System, NullLoggerFactory.Instance, TextWriter.Synchronized(firstOutput));
        var second = new ControllerHost(options, TimeProvider.System, NullLoggerFactory.Instance, TextWriter.Synchronized(secondOutput));
        using var stop = new CancellationTokenSource();
        var firstRun = first.RunAsync(stop.Token);
        await Wait.UntilAsync(() => Task.FromResult(first.Current is not null), Patience, () => "the first controller to lead");
        var secondRun = second.RunAsync(stop.Token);
        await Wait.UntilAsync(() => Task.FromResult(secondOutput.ToString().Contains("standby", StringComparison.Ordinal)), Patience, () => "the second controller to stand by");
        Assert.Null(second.Current);

        // The leader's session ends (as when its host dies or the network drops it).
        await using (var admin = new NpgsqlConnection(connectionString))
        {
            await admin.OpenAsync();
            await using var terminate = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database());", admin);
            Assert.Equal(1L, (long)(await terminate.ExecuteScalarAsync())!);
        }

        await Wait.UntilAsync(() => Task.FromResult(firstOutput.ToString().Contains("lost leadership: stopped deciding", StringComparison.Ordinal)), Patience, () => $"the first controller to stop deciding; it said:\n{firstOutput}");
        await Wait.UntilAsync(() => Task.FromResult(first.Terms + second.Terms == 2 && (first.Current is null) != (second.Current is null)), Patience, () => "exactly one controller to lead again");

        await stop.CancelAsync();
        await Task.WhenAll(firstRun, secondRun).WaitAsync(Patience);
    }
}
