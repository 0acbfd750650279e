using Akka.Actor;
using Akka.Hosting;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace Farm.Controller.Api;

/// <summary>
/// The API's one way to the farm controller singleton: its proxy, looked up in Akka.Hosting's
/// registry at every request, never once up front (a lookup before the proxy is registered would
/// be cached as nothing, AKKA.md pitfalls; and the registry itself comes with the ActorSystem, so
/// it is not resolved before the host starts), and asked with a timeout.
/// </summary>
public sealed class FarmControllerGateway(IServiceProvider services, FarmApiOptions options)
{
    private readonly TimeSpan _timeout = options.AskTimeout;

    /// <summary>Asks the singleton; <see cref="FarmControllerUnavailableException"/> when it cannot be reached or does not answer in time.</summary>
    public async Task<object> AskAsync(object message, CancellationToken cancellationToken)
    {
        if (!services.GetRequiredService<ActorRegistry>().TryGet<FarmControllerKey>(out var controller) || controller.IsNobody())
        {
            throw new FarmControllerUnavailableException("this controller process is not connected to the farm controller yet (it is still joining the cluster)");
        }

        try
        {
            return await controller.Ask<object>(message, _timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            throw new FarmControllerUnavailableException(
                $"the farm controller did not answer within {_timeout.TotalSeconds:0.#} s; it is probably moving to another controller process after a failover");
        }
    }

    /// <summary>The controller's current view of the farm.</summary>
    public async Task<FarmState> FarmStateAsync(CancellationToken cancellationToken) =>
        await AskAsync(Messages.Protocol.GetFarmState.Instance, cancellationToken).ConfigureAwait(false) switch
        {
            FarmState state => state,
            var other => throw new InvalidOperationException($"the farm controller answered GetFarmState with {other.GetType().Name}"),
        };
}

/// <summary>The farm controller singleton cannot be reached now; the request may be retried (HTTP 503).</summary>
public sealed class FarmControllerUnavailableException : Exception
{
    public FarmControllerUnavailableException()
        : this("the farm controller is unavailable")
    {
    }

    public FarmControllerUnavailableException(string message)
        : base(message)
    {
    }

    public FarmControllerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
