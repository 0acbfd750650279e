using Farm.Controller.Scheduling;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Farm.Node.Leadership;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Hosting;

/// <summary>What <c>farm serve</c> runs; validated before anything starts.</summary>
public sealed record ControllerHostOptions
{
    public required FarmStore Store { get; init; }

    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>Where the operator console listens (e.g. http://127.0.0.1:5080), or null for none.</summary>
    public string? ConsoleUrl { get; init; }

    /// <summary>Leader election on PostgreSQL (key, retry, health check).</summary>
    public PostgresLeaderLockOptions Leadership { get; init; } = PostgresLeaderLockOptions.Default;

    public ControllerHostOptions Validate()
    {
        Scheduler.Validate();
        Leadership.Validate();
        return this;
    }
}

/// <summary>
/// A controller process: on PostgreSQL it stands by until it holds the leader lock, then rebuilds
/// the farm's state from the journal and decides; the moment the lock is lost (or its decisions
/// are refused by the controller stream's fence) it stops deciding and stands by again. On SQLite
/// (one host) it leads at once; the fence still refuses a second writer's stale decisions.
/// </summary>
public sealed partial class ControllerHost
{
    private readonly ControllerHostOptions options;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly TextWriter output;
    private FarmController? current;
    private int terms;

    public ControllerHost(ControllerHostOptions options, TimeProvider time, ILoggerFactory loggers, TextWriter output)
    {
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        this.output = output ?? throw new ArgumentNullException(nameof(output));
        logger = loggers.CreateLogger<ControllerHost>();
    }

    /// <summary>The controller of the current term, null while standing by.</summary>
    public FarmController? Current => Volatile.Read(ref current);

    /// <summary>How many times this process became leader.</summary>
    public int Terms => Volatile.Read(ref terms);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var journal = await options.Store.OpenWithRetryAsync(time, loggers, options.Scheduler.StoreRetryDelay,
            failure => LogStoreUnreachable(options.Store.ToString(), failure.Message), cancellationToken).ConfigureAwait(false);
        await using var _ = journal.ConfigureAwait(false);
        await using var console = await StartConsoleAsync(journal, cancellationToken).ConfigureAwait(false);
        if (options.Store.Kind == FarmStoreKind.Sqlite)
        {
            await SayAsync($"leading (store {options.Store}; SQLite: one host, no standby)").ConfigureAwait(false);
            await LeadAsync(journal, Task.Delay(Timeout.Infinite, cancellationToken), stepDownWhenFenced: false, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var leaderLock = new PostgresLeaderLock(options.Store.Target, time, options.Leadership, loggers.CreateLogger<PostgresLeaderLock>());
            await using (leaderLock.ConfigureAwait(false))
            {
                await SayAsync($"standby: waiting for leadership (store {options.Store})").ConfigureAwait(false);
                try
                {
                    await leaderLock.WaitForLeadershipAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await SayAsync("leading: rebuilding the farm from the journal").ConfigureAwait(false);
                try
                {
                    await LeadAsync(journal, leaderLock.WhenLost, stepDownWhenFenced: true, cancellationToken).ConfigureAwait(false);
                }
                catch (ControllerDeposedException deposed)
                {
                    await SayAsync($"stepped down: {deposed.Message}").ConfigureAwait(false);
                    continue;
                }

                if (!cancellationToken.IsCancellationRequested)
                {
                    await SayAsync("lost leadership: stopped deciding").ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// The operator console on a controller process, leader or standby alike: it shows the farm
    /// as an observer folds it from the journal (the leader's own view, a moment later), so an
    /// operator's page keeps working across a failover.
    /// </summary>
    private async Task<IAsyncDisposable> StartConsoleAsync(IJournal journal, CancellationToken cancellationToken)
    {
        if (options.ConsoleUrl is not { } url)
        {
            return new NothingToStop();
        }

        var observer = new FarmController(journal, time, options.Scheduler, loggers.CreateLogger<FarmController>(), decides: false);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var observing = Task.Run(() => observer.RunAsync(stop.Token), CancellationToken.None);
        var web = await OperatorConsole.ConsoleServer.StartAsync(() => observer.State, url, loggers, cancellationToken).ConfigureAwait(false);
        await SayAsync($"console: {url}").ConfigureAwait(false);
        return new ConsoleRun(web, stop, observing);
    }

    private sealed class NothingToStop : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class ConsoleRun(Microsoft.AspNetCore.Builder.WebApplication web, CancellationTokenSource stop, Task observing) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await web.DisposeAsync().ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await observing.ConfigureAwait(false);
            stop.Dispose();
        }
    }

    /// <summary>One term: a fresh controller (rebuilt from the journal) that decides until the term ends.</summary>
    private async Task LeadAsync(IJournal journal, Task termEnds, bool stepDownWhenFenced, CancellationToken cancellationToken)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var controller = new FarmController(journal, time, options.Scheduler, loggers.CreateLogger<FarmController>(), stepDownWhenFenced);
        Volatile.Write(ref current, controller);
        Interlocked.Increment(ref terms);
        var running = controller.RunAsync(term.Token);
        try
        {
            var first = await Task.WhenAny(running, termEnds, controller.CaughtUp).ConfigureAwait(false);
            if (first == controller.CaughtUp)
            {
                var jobs = controller.State.Jobs.Values;
                var from = controller.RestoredFromOrdering > 0 ? $"from the snapshot at ordering {controller.RestoredFromOrdering}" : "from the whole journal";
                await SayAsync($"caught up ({from}) at ordering {controller.State.LastOrdering}: {jobs.Count(j => !j.IsFinished)} jobs open, {controller.State.Drives.Count} drives known").ConfigureAwait(false);
                first = await Task.WhenAny(running, termEnds).ConfigureAwait(false);
            }

            if (first != running)
            {
                // Leadership lost: stop deciding at once. An append already on the wire is
                // refused by the fence if the new leader moved the stream first.
                await term.CancelAsync().ConfigureAwait(false);
            }

            await running.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref current, null);
        }
    }

    private async Task SayAsync(string line)
    {
        LogState(line);
        await output.WriteLineAsync($"farm serve: {line}").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Controller: {Line}")]
    private partial void LogState(string line);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "The farm journal {Store} is unreachable, trying again: {Reason}")]
    private partial void LogStoreUnreachable(string store, string reason);
}
