using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Farm.Controller.Cli;

/// <summary>
/// The CLI's one HTTP client of the farm's API. It knows every controller address it was given and
/// keeps to the one that answers; an address that refuses the connection, times out or answers 503
/// (its farm controller singleton is moving) hands the request to the next, round-robin with a
/// short back-off, so a command outlives the death of the controller it was talking to.
/// </summary>
internal sealed class FarmApiClient : IDisposable
{
    /// <summary>How long one request may take; the API answers within its own ask timeout (5 s), or 503.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(3) }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly IReadOnlyList<Uri> _farms;
    private readonly TextWriter _log;
    private readonly string _who;
    private readonly TimeProvider _time;
    private int _current;

    /// <param name="farms">The controllers' addresses (see <see cref="ParseFarms"/>).</param>
    /// <param name="log">Where a switch to another address is reported (stderr).</param>
    /// <param name="who">The command, which starts those reports ("farm submit").</param>
    public FarmApiClient(IReadOnlyList<Uri> farms, TextWriter log, string who, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(farms);
        _farms = farms.Count > 0 ? farms : throw new ArgumentException("a farm client needs at least one address", nameof(farms));
        _log = log;
        _who = who;
        _time = time;
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Sent as <c>Authorization: Bearer TOKEN</c> on every request (<c>--token</c> or <c>$FARM_TOKEN</c>); null sends none.</summary>
    public string? Token { get; init; }

    /// <summary>How long every address may fail in a row before the request is given up.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Parses <c>--farm</c>: one http(s) address, or several separated by commas; says what is wrong.</summary>
    public static IReadOnlyList<Uri> ParseFarms(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("name the farm: --farm http://HOST:PORT (a controller's --http address; several separated by commas), or set FARM_URL");
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
            Uri.TryCreate(part, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && uri.Host.Length > 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0
                ? uri
                : throw new ArgumentException($"--farm takes addresses such as http://127.0.0.1:5080 (http, a host and a port, no path), separated by commas; '{part}' is not one"))];
    }

    /// <summary>
    /// Sends one request to the first address that answers it. A 4xx or 2xx is the answer; so is a
    /// 500 (a fault of the controller, not of its place in the cluster). Throws
    /// <see cref="FarmUnreachableException"/> once every address failed for <paramref name="patience"/>
    /// (default <see cref="Patience"/>).
    /// </summary>
    public async Task<FarmAnswer> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken, TimeSpan? patience = null)
    {
        var failures = new Dictionary<Uri, string>();
        var giveUpAt = _time.GetUtcNow() + (patience ?? Patience);
        var backoff = FirstBackoff;
        for (var tried = 1; ; tried++)
        {
            var farm = _farms[_current];
            var failure = await TryAsync(farm, method, path, body, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (failure.Answer is { } answer)
            {
                return answer;
            }

            failures[farm] = failure.Why!;
            _current = (_current + 1) % _farms.Count;
            if (_time.GetUtcNow() >= giveUpAt)
            {
                throw new FarmUnreachableException(
                    $"no controller of the farm answered for {(patience ?? Patience).TotalSeconds:0} s: {string.Join("; ", failures.Select(f => $"{f.Key.GetLeftPart(UriPartial.Authority)} {f.Value}"))}");
            }

            await _log.WriteLineAsync($"{_who}: {farm.GetLeftPart(UriPartial.Authority)} {failure.Why}; trying {_farms[_current].GetLeftPart(UriPartial.Authority)}").ConfigureAwait(false);
            if (tried % _farms.Count == 0)
            {
                // Every address failed once: the singleton is probably moving; wait a little, then go round again.
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<(FarmAnswer? Answer, string? Why)> TryAsync(Uri farm, HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(farm, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (Token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, deadline.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
            return response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
                ? (null, $"answered {(int)response.StatusCode}{(FarmAnswer.DetailOf(text) is { } detail ? $" ({detail})" : "")}")
                : (new FarmAnswer(response.StatusCode, text), null);
        }
        catch (HttpRequestException unreachable)
        {
            return (null, $"cannot be reached ({unreachable.HttpRequestError}: {unreachable.Message})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>An answer of the farm's API: its status and body (JSON, or application/problem+json for a 4xx or 500).</summary>
internal sealed record FarmAnswer(HttpStatusCode Status, string Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public T Read<T>() => JsonSerializer.Deserialize<T>(Body, FarmApiClient.Json)
        ?? throw new InvalidOperationException($"the farm answered {(int)Status} with an empty body");

    /// <summary>What the problem says (its detail, else its title), or the body as it came.</summary>
    public string Problem => DetailOf(Body) ?? $"HTTP {(int)Status}: {Body}";

    public static string? DetailOf(string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, FarmApiClient.Json);
            return problem?.Detail ?? problem?.Title;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>No address of <c>--farm</c> answered in time.</summary>
internal sealed class FarmUnreachableException : Exception
{
    public FarmUnreachableException()
    {
    }

    public FarmUnreachableException(string message)
        : base(message)
    {
    }

    public FarmUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
