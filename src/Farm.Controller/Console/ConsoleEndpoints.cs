using Farm.Messages.Views;
using System.Reflection;
using System.Text.Json;
using Farm.Controller.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.OperatorConsole;

/// <summary>
/// The operator console: one page, and the status it shows as JSON and as a server-sent event
/// stream that pushes a new status whenever the controller applies events (at most every 250 ms).
/// </summary>
public static class ConsoleEndpoints
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="farm">The farm as the console shows it: a controller's latest state (the leader's, or an observer's).</param>
    public static IEndpointRouteBuilder MapOperatorConsole(this IEndpointRouteBuilder routes, Func<FarmState> farm)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(farm);
        var page = LoadPage();
        // The page holds no data; what it shows it reads from the API with the operator's token.
        routes.MapGet("/", () => TypedResults.Content(page, "text/html; charset=utf-8")).AllowAnonymous();

        var api = routes.MapGroup("/api").RequireAuthorization(Api.Auth.ApiRoles.Viewer);
        api.MapGet("/status", () => TypedResults.Ok(StatusView.From(farm())));
        api.MapGet("/status/stream", (HttpContext context, CancellationToken cancellationToken) => StreamAsync(context, farm, cancellationToken));
        return routes;
    }

    private static async Task StreamAsync(HttpContext context, Func<FarmState> farm, CancellationToken cancellationToken)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        long sent = -1;
        using var timer = new PeriodicTimer(PushInterval);
        try
        {
            do
            {
                var state = farm();
                if (state.LastOrdering == sent)
                {
                    continue;
                }

                sent = state.LastOrdering;
                var json = JsonSerializer.Serialize(StatusView.From(state), options);
                await context.Response.WriteAsync($"data: {json}\n\n", cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The browser went away or the server is stopping.
        }
    }

    private static string LoadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Farm.Controller.Console.index.html")
            ?? throw new InvalidOperationException("the console page is missing from the assembly's resources");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
