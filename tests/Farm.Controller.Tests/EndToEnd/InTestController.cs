using Farm.Controller.Scheduling;
using Farm.Messages.Jobs;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// A controller run by the test on a SQLite farm journal that node processes share: it decides
/// while they burn, and <see cref="JobEnded"/> completes when a job completes or fails.
/// </summary>
internal sealed class InTestController : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task running = Task.CompletedTask;

    private InTestController(SqliteJournal journal)
    {
        Journal = journal;
        Controller = new FarmController(journal, TimeProvider.System, new SchedulerOptions(), NullLogger<FarmController>.Instance);
        Controller.Applied += (entry, _) =>
        {
            if (entry.Event is JobCompleted or JobFailed)
            {
                ended.TrySetResult();
            }
        };
    }

    public SqliteJournal Journal { get; }

    public FarmController Controller { get; }

    public Task JobEnded => ended.Task;

    public static async Task<InTestController> StartAsync(string database)
    {
        var controller = new InTestController(await SqliteJournal.OpenAsync(database, TimeProvider.System, CancellationToken.None));
        controller.running = Task.Run(() => controller.Controller.RunAsync(controller.stop.Token));
        return controller;
    }

    /// <summary>Stops deciding; the state and the journal stay readable.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await running.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Journal.DisposeAsync();
        stop.Dispose();
    }
}
