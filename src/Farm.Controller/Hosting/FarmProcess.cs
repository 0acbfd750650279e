using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Farm.Controller.Hosting;

/// <summary>
/// Runs a farm process (web host + ActorSystem) until Ctrl+C, or until its ActorSystem terminates
/// on its own: the cluster downed it (or it could not join), and the process exits non-zero so a
/// supervisor (systemd, compose <c>restart:</c>) starts it again (AKKA.md pitfalls).
/// </summary>
public static class FarmProcess
{
    public static async Task<int> RunAsync(WebApplication app, string name, Func<Task<int>>? work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var system = app.Services.GetRequiredService<ActorSystem>();
        var cluster = Akka.Cluster.Cluster.Get(system);
        Console.WriteLine($"{name}: cluster member {cluster.SelfAddress} ({string.Join(", ", cluster.SelfRoles)})");
        try
        {
            var stopped = Task.Delay(Timeout.Infinite, cancellationToken);
            var working = work is null ? new TaskCompletionSource<int>().Task : work();
            var first = await Task.WhenAny(stopped, system.WhenTerminated, working).ConfigureAwait(false);
            if (first == system.WhenTerminated)
            {
                await Console.Error.WriteLineAsync($"{name}: the actor system stopped (removed from the cluster, or it could not join); exiting so a supervisor restarts this process").ConfigureAwait(false);
                return 1;
            }

            return first == working ? await working.ConfigureAwait(false) : 0;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        finally
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await app.StopAsync(limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
