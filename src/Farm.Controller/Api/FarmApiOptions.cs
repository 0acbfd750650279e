using Farm.Controller.Api.Auth;

namespace Farm.Controller.Api;

/// <summary>How the HTTP API talks to the farm controller singleton, who may use it, and which images it accepts.</summary>
public sealed record FarmApiOptions
{
    /// <summary>
    /// How long a request waits for the singleton's answer. A failover takes about 10 s (DESIGN.md
    /// section 3); a request caught in it gets a 503 and the client retries, rather than holding a
    /// connection open for the whole failover.
    /// </summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <see cref="FarmStateFeed"/> asks the singleton for the farm the console shows.</summary>
    public TimeSpan StateRefreshInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The tokens of <c>--auth FILE</c>; null: only loopback clients are served, each as an admin.</summary>
    public AuthTokens? Auth { get; init; }

    /// <summary>
    /// The folders (<c>--image-root DIR</c>, full paths) a submitted image must lie in, after its
    /// links are resolved; empty: any absolute path the controller can read.
    /// </summary>
    public IReadOnlyList<string> ImageRoots { get; init; } = [];
}
