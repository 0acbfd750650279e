using Farm.Messages.Views;
using Farm.Controller.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.OperatorConsole;

/// <summary>
/// The operator console: its page at <c>/</c> and its scripts and styles under <c>/console/</c>
/// (anonymous: the page asks for a token itself; the data comes from the API's routes, which the
/// page calls with it), and the farm's status as one JSON document (<c>/api/status</c>, read by
/// scripts and benchmarks; the console itself follows <c>/api/events</c>).
/// </summary>
public static class ConsoleEndpoints
{
    /// <param name="farm">The farm as the console shows it: a controller's latest state (the leader's, or an observer's).</param>
    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder routes, Func<FarmState> farm)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(farm);
        var assets = ConsoleAssets.Load();

        // The page and its files hold no data; what they show they read from the API with the operator's token.
        routes.MapGet("/", (HttpContext context) => Serve(context, assets.Find("index.html")!)).AllowAnonymous();
        routes.MapGet("/console/{name}", Results<FileContentHttpResult, NotFound<string>> (string name, HttpContext context) =>
            assets.Find(name) is { } asset && name != "index.html"
                ? Serve(context, asset)
                : TypedResults.NotFound($"the console has no file '{name}'")).AllowAnonymous();

        var api = routes.MapGroup("/api").RequireAuthorization(Api.Auth.ApiRoles.Viewer);
        api.MapGet("/status", () => TypedResults.Ok(StatusView.From(farm())));
        return routes;
    }

    /// <summary>
    /// Same-origin only (no inline script, no CDN, no frames): even a string that slipped into
    /// the page as markup could not run. Revalidated on every load so an upgraded controller's
    /// console is the one shown.
    /// </summary>
    private static FileContentHttpResult Serve(HttpContext context, ConsoleAssets.Asset asset)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }
}
