using Farm.Controller.Api.Auth;
using Farm.Messages.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.Api;

/// <summary>
/// <c>/api/drives</c>: every drive as the controller knows it, and the operator's actions on one
/// (pause, resume, maintenance, clear), passed by the controller to the drive's node.
/// </summary>
internal static class DriveEndpoints
{
    /// <summary>The route's action and what the drive is told: clear takes it out of maintenance, back in service.</summary>
    private static readonly (string Route, DriveAction Action)[] Actions =
    [
        ("pause", DriveAction.Pause),
        ("resume", DriveAction.Resume),
        ("maintenance", DriveAction.EnterMaintenance),
        ("clear", DriveAction.LeaveMaintenance),
    ];

    public static void Map(RouteGroupBuilder drives)
    {
        drives.MapGet("/", ListAsync);
        foreach (var (route, action) in Actions)
        {
            drives.MapPost($"/{{id}}/{route}", (string id, HttpContext context, FarmControllerGateway farm, CancellationToken cancellationToken) =>
                OperatorCommands.AskAsync(
                    farm,
                    new ControlDrive(new DriveCommand(id, action, OperatorCommands.By(context.User), $"{route} asked by {OperatorCommands.By(context.User)} through the API")),
                    id,
                    route,
                    ApiProblems.NoSuchDrive,
                    cancellationToken))
                .RequireAuthorization(ApiRoles.Operator);
        }
    }

    private static async Task<Ok<IReadOnlyList<DriveSummary>>> ListAsync(FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<DriveSummary>>([.. state.Drives.Values.Select(DriveSummary.From)]);
    }
}
