using Farm.Messages;
using Farm.Messages.Alerts;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Scheduling;

/// <summary>
/// The farm's standing alerts, derived by <see cref="FarmProjection.Apply"/> from the events that
/// raise and clear them, so every controller incarnation (and a replay) lists the same ones, with
/// the operator's acknowledgements kept in the controller's own stream.
/// </summary>
internal static class AlertProjection
{
    public static string IdOf(string kind, string subject) => $"{kind}:{subject}";

    /// <param name="stored">When the controller took the event (a node's report); null for its own events that carry their time.</param>
    public static FarmState Apply(FarmState state, IFarmEvent farmEvent, DateTimeOffset? stored) => farmEvent switch
    {
        TowerAlertRaised e => Raise(state, TowerKind(e.Alert), e.TowerId, e.Message, stored),
        TowerAlertCleared e => Clear(state, TowerKind(e.Alert), e.TowerId),
        TowerBinsReported e when e.InputBlanks > 0 => Clear(state, AlertKinds.InputEmpty, e.TowerId),
        DriveEnteredMaintenance e => Raise(state, AlertKinds.DriveFaulted, e.DriveId, $"drive {e.DriveId} is in maintenance: {e.Why}", stored),
        DriveMaintenanceOrdered e => Raise(state, AlertKinds.DriveFaulted, e.DriveId, $"drive {e.DriveId} is in maintenance: {e.Why}", e.OrderedAt),
        DriveLeftMaintenance e => Clear(Clear(state, AlertKinds.DriveFaulted, e.DriveId), AlertKinds.DriveNeedsOperator, e.DriveId),
        DriveAlertRaised e => Raise(state, AlertKinds.DriveNeedsOperator, e.DriveId, $"drive {e.DriveId} needs an operator ({e.Alert}): {e.Message}", stored),
        DriveResumed e when e.Hold == DriveHolds.Drive => Clear(state, AlertKinds.DriveNeedsOperator, e.DriveId),
        NodeLost e => Raise(state, AlertKinds.NodeLost, e.NodeId, $"node {e.NodeId} was lost (last seen {e.LastSeenAt:u}); its drives are offline and its copies in flight were queued again", e.DeclaredAt),
        NodeJoined e => Clear(state, AlertKinds.NodeLost, e.NodeId),
        AlertAcknowledged e => state.Alerts.TryGetValue(e.AlertId, out var alert) && !alert.Acknowledged
            ? state with { Alerts = state.Alerts.SetItem(e.AlertId, alert with { Acknowledged = true, AcknowledgedBy = e.By }) }
            : state,
        _ => state,
    };

    private static string TowerKind(string alert) => alert switch
    {
        TowerAlerts.InputEmpty => AlertKinds.InputEmpty,
        TowerAlerts.OutputFull => AlertKinds.OutputFull,
        TowerAlerts.RejectFull => AlertKinds.RejectFull,
        _ => AlertKinds.OfTowerAlert(alert),
    };

    /// <summary>An alert already standing keeps its time and acknowledgement (a sensor said it again).</summary>
    private static FarmState Raise(FarmState state, string kind, string subject, string message, DateTimeOffset? at)
    {
        var id = IdOf(kind, subject);
        return state.Alerts.ContainsKey(id) ? state : state with { Alerts = state.Alerts.Add(id, new AlertState(id, kind, subject, message, at)) };
    }

    private static FarmState Clear(FarmState state, string kind, string subject) =>
        state.Alerts.ContainsKey(IdOf(kind, subject)) ? state with { Alerts = state.Alerts.Remove(IdOf(kind, subject)) } : state;
}
