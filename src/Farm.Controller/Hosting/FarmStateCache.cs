using Akka.Actor;
using Akka.Hosting;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Microsoft.Extensions.Hosting;

namespace Farm.Controller.Hosting;

/// <summary>
/// The farm as this controller process last heard it from the singleton (wherever it runs),
/// refreshed a few times a second, for the console and other readers that must not wait. While
/// the singleton moves it keeps the last state it had, so a page survives a failover.
/// </summary>
public sealed class FarmStateCache(ActorRegistry registry) : BackgroundService
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AskLimit = TimeSpan.FromSeconds(2);
    private FarmState current = FarmState.Empty;

    /// <summary>The latest state heard (empty until the singleton first answers).</summary>
    public FarmState Current => Volatile.Read(ref current);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var controller = await registry.GetAsync<FarmControllerKey>(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(Refresh);
        do
        {
            try
            {
                var state = await controller.Ask<FarmState>(GetFarmState.Instance, AskLimit, stoppingToken).ConfigureAwait(false);
                Volatile.Write(ref current, state);
            }
            catch (AskTimeoutException)
            {
                // The singleton is moving (or starting): keep showing what we had.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
