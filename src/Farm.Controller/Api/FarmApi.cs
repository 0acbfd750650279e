using Farm.Controller.Api.Auth;
using Farm.Controller.OperatorConsole;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Farm.Controller.Api;

/// <summary>
/// The farm's HTTP API, served by every controller process and forwarded to the controller
/// singleton: <c>services.AddFarmApi()</c> beside <c>AddAkka(...)</c>, then <c>app.MapFarmApi()</c>
/// (which also maps the operator console, fed by <see cref="FarmStateFeed"/>). Every route under
/// <c>/api</c> needs a role (<see cref="ApiRoles"/>): viewer for reading, more for acting.
/// </summary>
public static class FarmApi
{
    public static IServiceCollection AddFarmApi(this IServiceCollection services, FarmApiOptions? options = null)
    {
        options ??= new FarmApiOptions();
        services.AddProblemDetails();
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FarmControllerGateway>();
        services.AddSingleton<FarmStateFeed>();
        services.AddSingleton<FarmEventFrames>();
        services.AddSingleton<ImageCatalog>();
        services.AddSingleton<Reports.DiscLedger>();
        services.AddHostedService<Reports.DiscHistoryFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<FarmStateFeed>());
        services.AddAuthentication(BearerAuthentication.SchemeName)
            .AddScheme<BearerAuthenticationOptions, BearerAuthentication>(BearerAuthentication.SchemeName, o => o.Tokens = options.Auth);
        services.AddAuthorizationBuilder().AddFarmRolePolicies();
        if (options.Auth is null)
        {
            services.AddTransient<IStartupFilter, LoopbackOnlyStartupFilter>();
            services.AddHostedService<LoopbackOnlyNotice>();
        }

        services.AddOpenApi(o => o.AddDocumentTransformer<FarmOpenApi>());
        return services;
    }

    /// <summary>
    /// Maps <c>/api/jobs</c> (submit, list, one job with its discs, hold, resume, cancel, report,
    /// manifest), <c>/api/images/{sha256}</c> (an image's bytes, for nodes), <c>/api/drives</c>, <c>/api/towers</c>, <c>/api/nodes</c> (per image bytes read from disk), <c>/api/alerts</c>, <c>/api/events</c>,
    /// <c>/api/whoami</c>, <c>/openapi.json</c> and the operator console (<c>/</c>, <c>/api/status</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapFarmApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var api = routes.MapGroup("/api").RequireAuthorization(ApiRoles.Viewer).AddEndpointFilter(async (context, next) =>
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
        api.MapGet("/whoami", (HttpContext context) => TypedResults.Ok(WhoAmI.Of(context.User)));
        JobEndpoints.Map(api.MapGroup("/jobs"));
        ReportEndpoints.Map(api.MapGroup("/jobs"));
        DriveEndpoints.Map(api.MapGroup("/drives"));
        TowerEndpoints.Map(api.MapGroup("/towers"));
        NodeEndpoints.Map(api.MapGroup("/nodes"));
        AlertEndpoints.Map(api.MapGroup("/alerts"));
        EventEndpoints.Map(api);
        ImageEndpoints.Map(api.MapGroup("/images"));

        routes.MapOpenApi("/openapi.json").AllowAnonymous();

        // Resolved at the console's first read, after the host (and its ActorSystem) started.
        FarmStateFeed? feed = null;
        routes.MapOperatorConsole(() => (feed ??= routes.ServiceProvider.GetRequiredService<FarmStateFeed>()).Current);
        return routes;
    }
}

/// <summary>The caller as the API sees it: <c>GET /api/whoami</c>.</summary>
public sealed record WhoAmI(string Name, string Role)
{
    public static WhoAmI Of(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new WhoAmI(user.Identity?.Name ?? "", user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "");
    }
}
