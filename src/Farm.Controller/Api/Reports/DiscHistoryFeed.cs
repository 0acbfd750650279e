using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Farm.Messages;
using Farm.Node.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Api.Reports;

/// <summary>
/// Feeds this process's <see cref="DiscLedger"/> from the farm controller's journal in the farm's
/// database (Akka.Persistence.Query's live EventsByPersistenceId on Akka.Persistence.Sql's read
/// journal), so every controller process, hosting the singleton or not, answers a job's discs.
/// A stream that fails (the database away) starts again after the last event applied.
/// </summary>
public sealed partial class DiscHistoryFeed(IServiceProvider services, DiscLedger ledger, TimeProvider time, ILogger<DiscHistoryFeed> logger) : BackgroundService
{
    /// <summary>The read journal configured beside the farm's journal (FarmPersistence.FarmStoreHocon).</summary>
    public const string ReadJournalPath = "akka.persistence.query.journal.sql";

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The API without a farm database (tests with a stand-in controller) has no history to read.
        if (services.GetService<ActorSystem>() is not { } system || !system.Settings.Config.HasPath(ReadJournalPath + ".class"))
        {
            return;
        }

        // Off the host's start: the read journal's constructor waits for its plugin (up to 5 s).
        await Task.Yield();
        var materializer = system.Materializer();
        SqlReadJournal? journal = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                journal ??= PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(ReadJournalPath);
            }
            catch (Exception failed) when (failed is AggregateException or Akka.Actor.AskTimeoutException or InvalidOperationException)
            {
                LogStreamFailed(logger, ledger.Applied, $"the read journal did not start ({failed.GetBaseException().Message})");
                if (!await PauseAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            var (kill, done) = journal.EventsByPersistenceId(FarmControllerKey.PersistenceId, ledger.Applied + 1, long.MaxValue)
                .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
                .ToMaterialized(Sink.ForEach<EventEnvelope>(envelope =>
                {
                    if (envelope.Event is IFarmEvent farmEvent)
                    {
                        ledger.Apply(farmEvent, envelope.SequenceNr);
                    }
                }), Keep.Both)
                .Run(materializer);
            using (stoppingToken.Register(kill.Shutdown))
            {
                try
                {
                    await done.ConfigureAwait(false);
                }
                catch (Exception failed) when (failed is not OperationCanceledException)
                {
                    LogStreamFailed(logger, ledger.Applied, failed.Message);
                }
            }

            if (!await PauseAsync(stoppingToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Waits before trying again; false when the process is stopping.</summary>
    private async Task<bool> PauseAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryAfter, time, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3520, Level = LogLevel.Warning, Message = "Reading the farm controller's journal for the discs of each job failed after event {SequenceNr}: {Reason}; trying again")]
    private static partial void LogStreamFailed(ILogger logger, long sequenceNr, string reason);
}
