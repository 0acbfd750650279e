using Farm.Messages.Views;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Api;

/// <summary>
/// The farm as the operator console shows it on this controller process: the singleton's state,
/// asked for every <see cref="FarmApiOptions.StateRefreshInterval"/>. The console reads it without
/// waiting (its page and stream take the state as a function); while the singleton moves, the last
/// state it gave stays on show.
/// </summary>
public sealed partial class FarmStateFeed(FarmControllerGateway farm, FarmApiOptions options, TimeProvider time, ILogger<FarmStateFeed> logger) : BackgroundService
{
    private FarmState _current = FarmState.Empty;

    /// <summary>The latest state the singleton gave (empty until it first answers).</summary>
    public FarmState Current => Volatile.Read(ref _current);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.StateRefreshInterval, time);
        var answering = false; // a singleton still starting is no news; one that stops answering is
        do
        {
            try
            {
                Volatile.Write(ref _current, await farm.FarmStateAsync(stoppingToken).ConfigureAwait(false));
                answering = true;
            }
            catch (FarmControllerUnavailableException silent)
            {
                if (answering)
                {
                    LogSilent(logger, silent.Message);
                }

                answering = false;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 3500, Level = LogLevel.Warning, Message = "The console shows the farm as last known: {Reason}")]
    private static partial void LogSilent(ILogger logger, string reason);
}
