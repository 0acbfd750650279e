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

    /// <summary>
    /// Runs a command's requests with a client of <c>--farm</c>: a bad address exits 2 before
    /// anything is done, a farm that never answers exits 1 saying what each address did.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, Option<string?> farm, string command, Func<FarmApiClient, Task<int>> act)
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

        using var client = new FarmApiClient(addresses, result.InvocationConfiguration.Error, $"farm {command}", TimeProvider.System);
        try
        {
            return await act(client).ConfigureAwait(false);
        }
        catch (FarmUnreachableException unreachable)
        {
            return Fail(result, command, unreachable.Message, Failed);
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
        return Fail(result, command, answer.Problem, (int)answer.Status is >= 400 and < 500 ? BadInput : Failed);
    }
}
