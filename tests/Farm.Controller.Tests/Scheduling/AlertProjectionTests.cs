using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Alerts;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>The farm's standing alerts as the projection derives them from the events that raise and clear them.</summary>
public sealed class AlertProjectionTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static FarmState Apply(FarmState state, params IFarmEvent[] events) =>
        events.Aggregate(state, (s, e) => FarmProjection.Apply(s, e));

    private static NodeReported Report(IFarmEvent e, int seconds = 0) => new("node-1", "tower-T1", seconds + 1, e, At.AddSeconds(seconds));

    [Fact]
    public void A_tower_alert_stands_from_when_it_was_reported_until_it_is_cleared()
    {
        var state = Apply(FarmState.Empty, Report(new TowerBinsReported("T1", 0, "DVD+R", 3, 0)), Report(new TowerAlertRaised("T1", TowerAlerts.InputEmpty, "the input bin is empty"), 5));

        var alert = Assert.Single(state.Alerts.Values);
        Assert.Equal(new AlertState("input-empty:T1", AlertKinds.InputEmpty, "T1", "the input bin is empty", At.AddSeconds(5)), alert);

        Assert.Empty(Apply(state, Report(new TowerAlertCleared("T1", TowerAlerts.InputEmpty, "ops"), 9)).Alerts);
    }

    [Fact]
    public void An_acknowledged_alert_stays_acknowledged_while_it_stands_and_a_new_one_is_not()
    {
        var raised = Apply(FarmState.Empty, Report(new TowerAlertRaised("T1", TowerAlerts.ArmJam, "the arm jammed")));
        var acknowledged = Apply(raised, new AlertAcknowledged("arm-jam:T1", "operator ops", At), Report(new TowerAlertRaised("T1", TowerAlerts.ArmJam, "again"), 2));

        Assert.Equal((true, "operator ops", "the arm jammed"), (acknowledged.Alerts["arm-jam:T1"].Acknowledged, acknowledged.Alerts["arm-jam:T1"].AcknowledgedBy, acknowledged.Alerts["arm-jam:T1"].Message));

        var again = Apply(acknowledged, Report(new TowerAlertCleared("T1", TowerAlerts.ArmJam, "ops"), 3), Report(new TowerAlertRaised("T1", TowerAlerts.ArmJam, "jammed again"), 4));
        Assert.False(again.Alerts["arm-jam:T1"].Acknowledged);
    }

    [Fact]
    public void A_drive_in_maintenance_and_a_lost_node_are_alerts_until_they_come_back()
    {
        var state = Apply(
            FarmState.Empty,
            new DriveMaintenanceOrdered("T1-D2", "3 failed burns in 10 min", At),
            new NodeLost("node-2", At.AddMinutes(-1), At.AddSeconds(30)));

        Assert.Equal(["drive-faulted:T1-D2", "node-lost:node-2"], state.Alerts.Keys);
        Assert.Equal(At.AddSeconds(30), state.Alerts["node-lost:node-2"].RaisedAt);

        var back = Apply(state, Report(new DriveLeftMaintenance("T1-D2", "ops")), new NodeJoined("node-2", "akka.tcp://farm@h:1", At.AddMinutes(2), []));
        Assert.Empty(back.Alerts);
    }

    [Fact]
    public void A_report_delivered_twice_raises_one_alert()
    {
        var report = Report(new TowerAlertRaised("T1", TowerAlerts.OutputFull, "the output bin is full"));

        var state = Apply(FarmState.Empty, report, new AlertAcknowledged("output-full:T1", "ops", At), report);

        Assert.True(Assert.Single(state.Alerts.Values).Acknowledged);
    }
}
