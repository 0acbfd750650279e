using Farm.Controller.OperatorConsole;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Farm.Controller.Api;

/// <summary>
/// The farm's HTTP API, served by every controller process and forwarded to the controller
/// singleton: <c>services.AddFarmApi()</c> beside <c>AddAkka(...)</c>, then <c>app.MapFarmApi()</c>
/// (which also maps the operator console, fed by <see cref="FarmStateFeed"/>).
/// </summary>
public static class FarmApi
{
    public static IServiceCollection AddFarmApi(this IServiceCollection services, FarmApiOptions? options = null)
    {
        services.AddProblemDetails();
        services.AddSingleton(options ?? new FarmApiOptions());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FarmControllerGateway>();
        services.AddSingleton<FarmStateFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<FarmStateFeed>());
        return services;
    }

    /// <summary>
    /// Maps <c>/api/jobs</c> (submit, list, one job, hold, resume, cancel) and the operator console
    /// (<c>/</c>, <c>/api/status</c>, <c>/api/status/stream</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapFarmApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var jobs = routes.MapGroup("/api/jobs").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (FarmControllerUnavailableException unavailable)
            {
                JobEndpoints.LogUnavailable(context.HttpContext, unavailable.Message);
                return ApiProblems.Unavailable(context.HttpContext, unavailable.Message);
            }
        });
        JobEndpoints.Map(jobs);

        // Resolved at the console's first read, after the host (and its ActorSystem) started.
        FarmStateFeed? feed = null;
        routes.MapOperatorConsole(() => (feed ??= routes.ServiceProvider.GetRequiredService<FarmStateFeed>()).Current);
        return routes;
    }
}
