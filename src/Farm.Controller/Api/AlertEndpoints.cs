using Farm.Controller.Api.Auth;
using Farm.Messages.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.Api;

/// <summary><c>/api/alerts</c>: the alerts standing (towers, faulted drives, lost nodes), newest first, and their acknowledgement.</summary>
internal static class AlertEndpoints
{
    public static void Map(RouteGroupBuilder alerts)
    {
        alerts.MapGet("/", ListAsync);
        alerts.MapPost("/{id}/acknowledge", (string id, HttpContext context, FarmControllerGateway farm, CancellationToken cancellationToken) =>
            OperatorCommands.AskAsync(farm, new AcknowledgeAlert(id, OperatorCommands.By(context.User)), id, "acknowledge", ApiProblems.NoSuchAlert, cancellationToken))
            .RequireAuthorization(ApiRoles.Operator);
    }

    private static async Task<Ok<IReadOnlyList<AlertView>>> ListAsync(FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<AlertView>>([.. state.Alerts.Values.OrderByDescending(a => a.RaisedAt).Select(AlertView.From)]);
    }
}

/// <summary>An alert as <c>GET /api/alerts</c> and the <c>alert</c> events show it.</summary>
/// <param name="Kind">input-empty, output-full, reject-full, drive-faulted, drive-needs-operator, node-lost, or another tower alert (arm-jam, printer-fault, picked-twice).</param>
/// <param name="Subject">The tower, drive or node it is about.</param>
public sealed record AlertView(string Id, string Kind, string Subject, string Message, DateTimeOffset? RaisedAt, bool Acknowledged, string? AcknowledgedBy)
{
    public static AlertView From(Farm.Messages.Views.AlertState alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new AlertView(alert.Id, alert.Kind, alert.Subject, alert.Message, alert.RaisedAt, alert.Acknowledged, alert.AcknowledgedBy);
    }
}
