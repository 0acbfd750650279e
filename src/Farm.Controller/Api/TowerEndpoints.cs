using System.Text.Json;
using Farm.Controller.Api.Auth;
using Farm.Messages.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.Api;

/// <summary><c>/api/towers</c>: every tower's bins, and the operator's word that an input bin was refilled.</summary>
internal static class TowerEndpoints
{
    /// <summary>More blanks than any tower's input bin holds: a typo, not a count.</summary>
    public const int MaxInputBlanks = 100_000;

    public static void Map(RouteGroupBuilder towers)
    {
        towers.MapGet("/", ListAsync);
        towers.MapPost("/{id}/refilled", RefilledAsync).RequireAuthorization(ApiRoles.Operator);
    }

    private static async Task<Ok<IReadOnlyList<TowerSummary>>> ListAsync(FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<TowerSummary>>([.. state.Towers.Values.Select(t => TowerSummary.From(t, state))]);
    }

    private static async Task<Results<Accepted<ActionView>, ProblemHttpResult>> RefilledAsync(
        string id, HttpRequest request, FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        var (input, problem) = await ReadInputAsync(request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return ApiProblems.BadRequest(problem);
        }

        var by = OperatorCommands.By(request.HttpContext.User);
        return await OperatorCommands.AskAsync(farm, new RefillTower(id, input, by), id, "refilled", ApiProblems.NoSuchTower, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body <c>{"input": N}</c>: the blanks in the input bin now.</summary>
    private static async Task<(int Input, string? Problem)> ReadInputAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const string Expected = "the body must be JSON such as {\"input\": 100}: the number of blanks in the input bin now";
        if (!request.HasJsonContentType())
        {
            return (0, $"{Expected} (Content-Type: application/json, not '{request.ContentType ?? "none"}')");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("input", out var input)
                || input.ValueKind != JsonValueKind.Number
                || !input.TryGetInt32(out var blanks))
            {
                return (0, Expected);
            }

            return blanks is < 0 or > MaxInputBlanks
                ? (0, $"input is the number of blanks in the input bin, 0 to {MaxInputBlanks}, not {blanks}")
                : (blanks, null);
        }
        catch (JsonException bad)
        {
            return (0, $"{Expected}; it is not valid JSON ({bad.Message})");
        }
    }
}
