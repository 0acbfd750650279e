using System.CommandLine;

namespace Farm.Controller.Cli;

/// <summary>What the commands that go through the farm's HTTP API share: <c>--farm</c>, their client, their exit codes.</summary>
internal static class ApiCli
{
    /// <summary>Exit code of a bad value or a request the farm refused as wrong (a 4xx).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code when the farm cannot be reached, or a job ends other than completed.</summary>
    public const int Failed = 1;

    public static Option<string?> FarmOption() => new("--farm")
    {
        Description = "The farm's HTTP API: a controller's address, e.g. http://127.0.0.1:5080, or several separated by commas, tried in turn (default: $FARM_URL)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FARM_URL"),
    };

    /// <summary><c>--token</c>: the API token sent as the Bearer header (default: $FARM_TOKEN).</summary>
    public static Option<string?> TokenOption() => new(TokenName)
    {
        Description = "The API token, sent as Authorization: Bearer TOKEN (default: $FARM_TOKEN); a farm started with --auth FILE needs one",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FARM_TOKEN"),
    };

    private const string TokenName = "--token";

    /// <summary>
    /// Runs a command's requests with a client of <c>--farm</c>: a bad address exits 2 before
    /// anything is done, a farm that never answers exits 1 saying what each address did.
    /// </summary>
    /// <param name="patience">How long the farm may not answer (default: the client's, which outlasts a failover).</param>
    /// <param name="unreachable">The exit code when it never answers.</param>
    public static async Task<int> RunAsync(ParseResult result, Option<string?> farm, string command, Func<FarmApiClient, Task<int>> act, TimeSpan? patience = null, int unreachable = Failed)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(act);
        IReadOnlyList<Uri> addresses;
        try
        {
            addresses = FarmApiClient.ParseFarms(result.GetValue(farm));
        }
        catch (ArgumentException bad)
        {
            return Fail(result, command, bad.Message);
        }

        var token = result.CommandResult.Command.Options.Any(o => o.Name == TokenName) ? result.GetValue<string?>(TokenName) : null;
        using var client = new FarmApiClient(addresses, result.InvocationConfiguration.Error, $"farm {command}", TimeProvider.System)
        {
            Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim(),
            Patience = patience ?? TimeSpan.FromSeconds(60),
        };
        try
        {
            return await act(client).ConfigureAwait(false);
        }
        catch (FarmUnreachableException silent)
        {
            return Fail(result, command, silent.Message, unreachable);
        }
    }

    public static int Fail(ParseResult result, string command, string message, int exitCode = BadInput)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.InvocationConfiguration.Error.WriteLine($"farm {command}: {message}");
        return exitCode;
    }

    /// <summary>The answer of a request the farm refused: a 4xx is the caller's mistake (exit 2), anything else the farm's (exit 1).</summary>
    public static int Refused(ParseResult result, string command, FarmAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var message = answer.Status switch
        {
            System.Net.HttpStatusCode.Unauthorized => $"the farm wants a valid API token (401: {answer.Problem}); give --token TOKEN or set $FARM_TOKEN",
            System.Net.HttpStatusCode.Forbidden => $"the token may not do this (403: {answer.Problem}); use a token of a role that may",
            _ => answer.Problem,
        };
        return Fail(result, command, message, (int)answer.Status is >= 400 and < 500 ? BadInput : Failed);
    }
}
