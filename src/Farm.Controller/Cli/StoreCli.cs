using Farm.Messages.Views;
using System.CommandLine;
using Farm.Controller.Scheduling;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Cli;

/// <summary>What the store-backed commands share: the <c>--store</c> option, opening it, and reading the farm from it.</summary>
internal static class StoreCli
{
    public static Option<string> StoreOption() => new("--store")
    {
        Description = "The farm journal: postgres://user@host:port/db, an Npgsql connection string (Host=...;Database=...), or sqlite:/path/farm.db (default: $FARM_STORE)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FARM_STORE") ?? "",
    };

    public static ILoggerFactory Loggers(bool verbose) => LoggerFactory.Create(b => b
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o => o.SingleLine = true)
        .SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning));

    public static int Fail(string command, string message)
    {
        Console.Error.WriteLine($"farm {command}: {message}");
        return 2;
    }

    /// <summary>The farm as the whole journal tells it, read in batches up to the safe watermark.</summary>
    public static async Task<FarmState> ReadFarmAsync(IJournal journal, FarmState from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var state = from;
        while (true)
        {
            var batch = await journal.ReadAllAsync(state.LastOrdering, 2000, cancellationToken).ConfigureAwait(false);
            foreach (var entry in batch)
            {
                state = FarmProjection.Apply(state, entry.Event, entry.Ordering, entry.Timestamp);
            }

            if (batch.Count < 2000)
            {
                return state;
            }
        }
    }
}
