using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.Api;

/// <summary>
/// <c>GET /api/events</c>: a server-sent event stream of the farm as this process sees it
/// (<see cref="FarmStateFeed"/>). On connect a <c>drive</c>, <c>tower</c>, <c>job</c> and <c>alert</c>
/// event for every one of them, then one whenever one changes (looked at every 250 ms), and
/// <c>alert-cleared</c> (<c>{"id": ...}</c>) when an alert no longer stands. A comment line every
/// 15 s keeps idle proxies from closing the stream. The frames are serialized once for all
/// connections (<see cref="FarmEventFrames"/>).
/// </summary>
internal static class EventEndpoints
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    public static void Map(RouteGroupBuilder api) => api.MapGet("/events", StreamAsync);

    private static async Task StreamAsync(HttpContext context, FarmEventFrames frames, TimeProvider time, CancellationToken cancellationToken)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        IReadOnlyDictionary<(string Kind, string Id), byte[]> sent = new Dictionary<(string Kind, string Id), byte[]>();
        var lastWrite = time.GetUtcNow();
        using var timer = new PeriodicTimer(PushInterval, time);
        try
        {
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                // Serialized once for every connection; an unchanged frame is the same array as before.
                var now = frames.Current();
                var changes = new List<byte[]>();
                if (!ReferenceEquals(now, sent))
                {
                    foreach (var (key, frame) in now)
                    {
                        if (!sent.TryGetValue(key, out var before) || !ReferenceEquals(before, frame))
                        {
                            changes.Add(frame);
                        }
                    }

                    changes.AddRange(sent.Keys.Where(k => k.Kind == "alert" && !now.ContainsKey(k)).Select(gone => frames.AlertCleared(gone.Id)));
                    sent = now;
                }

                if (changes.Count == 0 && time.GetUtcNow() - lastWrite < KeepAliveInterval)
                {
                    continue;
                }

                if (changes.Count == 0)
                {
                    changes.Add(KeepAlive);
                }

                foreach (var frame in changes)
                {
                    await context.Response.Body.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }

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
}
