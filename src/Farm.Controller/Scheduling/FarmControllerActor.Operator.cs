using Akka.Actor;
using Farm.Messages.Alerts;
using Farm.Messages.Protocol;

namespace Farm.Controller.Scheduling;

// Operator commands that are not about one job or one drive: acknowledging an alert (persisted in
// the controller's stream, so every controller process and every later incarnation agrees) and a
// refilled tower (passed on to its node, whose tower clears its input-empty alert).
public sealed partial class FarmControllerActor
{
    private void OperatorCommands()
    {
        Command<AcknowledgeAlert>(Acknowledge);
        Command<RefillTower>(Refill);
    }

    private void Acknowledge(AcknowledgeAlert acknowledge)
    {
        if (!_state.Alerts.TryGetValue(acknowledge.AlertId, out var alert))
        {
            Sender.Tell(new CommandRefused($"no alert '{acknowledge.AlertId}' stands (it may have been cleared); GET /api/alerts lists the standing ones", NotFound: true));
            return;
        }

        if (alert.Acknowledged)
        {
            Sender.Tell(new CommandAccepted($"alert {alert.Id} was already acknowledged by {alert.AcknowledgedBy}"));
            return;
        }

        var sender = Sender;
        PersistAndDecide([new AlertAcknowledged(alert.Id, acknowledge.By, _time.GetUtcNow())], () => sender.Tell(new CommandAccepted($"alert {alert.Id} acknowledged by {acknowledge.By}")));
    }

    private void Refill(RefillTower refill)
    {
        if (!_state.Towers.ContainsKey(refill.TowerId))
        {
            Sender.Tell(new CommandRefused($"there is no tower '{refill.TowerId}'; GET /api/towers lists the farm's towers", NotFound: true));
            return;
        }

        var nodeId = _state.Drives.Values.FirstOrDefault(d => d.TowerId == refill.TowerId)?.NodeId;
        if (nodeId is null || !_links.TryGetValue(nodeId, out var link))
        {
            Sender.Tell(new CommandRefused($"tower {refill.TowerId}'s node {nodeId ?? "(unknown)"} is not connected to the controller now; try again when it is"));
            return;
        }

        link.Node.Tell(refill);
        Sender.Tell(new CommandAccepted($"tower {refill.TowerId}: refilled ({refill.InputBlanks} blanks in the input bin) sent to node {nodeId}"));
    }
}
