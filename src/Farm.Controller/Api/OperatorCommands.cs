using System.Security.Claims;
using Farm.Messages.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Farm.Controller.Api;

/// <summary>An operator's command asked of the controller singleton, and its answer as HTTP: 202, 404 or 409.</summary>
internal static class OperatorCommands
{
    /// <summary>Who acts, for the farm's records: the token's name (or "loopback").</summary>
    public static string By(ClaimsPrincipal user) => user?.Identity?.Name is { Length: > 0 } name ? $"operator {name}" : "operator";

    public static async Task<Results<Accepted<ActionView>, ProblemHttpResult>> AskAsync(
        FarmControllerGateway farm, object command, string subject, string action, Func<string, ProblemHttpResult> notFound, CancellationToken cancellationToken) =>
        await farm.AskAsync(command, cancellationToken).ConfigureAwait(false) switch
        {
            CommandAccepted accepted => TypedResults.Accepted((string?)null, new ActionView(subject, action, accepted.What)),
            CommandRefused { NotFound: true } => notFound(subject),
            CommandRefused refused => ApiProblems.Refused(refused.Reason),
            var other => throw new InvalidOperationException($"the farm controller answered {command.GetType().Name} with {other.GetType().Name}"),
        };
}
