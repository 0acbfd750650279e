using System.Text.Json;
using Farm.Controller.Api.Reports;
using Farm.Messages.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Farm.Controller.Api;

/// <summary>
/// <c>GET /api/events</c>: a server-sent event stream of the farm as this process sees it
/// (<see cref="FarmStateFeed"/>). On connect a <c>drive</c>, <c>tower</c>, <c>job</c> and <c>alert</c>
/// event for every one of them, then one whenever one changes (looked at every 250 ms), and
/// <c>alert-cleared</c> (<c>{"id": ...}</c>) when an alert no longer stands. A comment line every
/// 15 s keeps idle proxies from closing the stream.
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static void Map(RouteGroupBuilder api) => api.MapGet("/events", StreamAsync);

    private static async Task StreamAsync(HttpContext context, FarmStateFeed feed, DiscLedger discs, TimeProvider time, CancellationToken cancellationToken)
    {
        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var sent = new Dictionary<(string Kind, string Id), string>();
        var lastWrite = time.GetUtcNow();
        using var timer = new PeriodicTimer(PushInterval, time);
        try
        {
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                var now = Snapshot(feed.Current, discs, json);
                var changes = new List<string>();
                foreach (var (key, data) in now)
                {
                    if (!sent.TryGetValue(key, out var before) || before != data)
                    {
                        changes.Add($"event: {key.Kind}\ndata: {data}\n\n");
                    }
                }

                foreach (var gone in sent.Keys.Where(k => k.Kind == "alert" && !now.ContainsKey(k)).ToList())
                {
                    changes.Add($"event: alert-cleared\ndata: {JsonSerializer.Serialize(new { id = gone.Id }, json)}\n\n");
                }

                sent = now;
                if (changes.Count == 0 && time.GetUtcNow() - lastWrite < KeepAliveInterval)
                {
                    continue;
                }

                await context.Response.WriteAsync(changes.Count == 0 ? ": keep-alive\n\n" : string.Concat(changes), cancellationToken).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                lastWrite = time.GetUtcNow();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The client went away or the server is stopping.
        }
    }

    /// <summary>Every drive, tower, job and alert of the farm as the JSON its event carries.</summary>
    private static Dictionary<(string Kind, string Id), string> Snapshot(FarmState state, DiscLedger discs, JsonSerializerOptions json)
    {
        var all = new Dictionary<(string Kind, string Id), string>();
        foreach (var drive in state.Drives.Values)
        {
            all[("drive", drive.DriveId)] = JsonSerializer.Serialize(DriveSummary.From(drive), json);
        }

        foreach (var tower in state.Towers.Values)
        {
            all[("tower", tower.TowerId)] = JsonSerializer.Serialize(TowerSummary.From(tower, state), json);
        }

        foreach (var job in state.Jobs.Values)
        {
            all[("job", job.JobId)] = JsonSerializer.Serialize(JobView.Summary(job, discs.Of(job.JobId)), json);
        }

        foreach (var alert in state.Alerts.Values)
        {
            all[("alert", alert.Id)] = JsonSerializer.Serialize(AlertView.From(alert), json);
        }

        return all;
    }
}
