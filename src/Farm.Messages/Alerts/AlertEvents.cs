namespace Farm.Messages.Alerts;

// The operator's side of the farm's alerts, in the controller's stream. The alerts themselves are
// derived from the events that raise and clear them (a tower's, a drive's, a lost node).

/// <summary>An operator saw the alert and took it on; it stays listed until what raised it is cleared.</summary>
public sealed record AlertAcknowledged(string AlertId, string By, DateTimeOffset AcknowledgedAt) : IFarmEvent;

/// <summary>The kinds of alert the farm raises (the API's <c>kind</c>).</summary>
public static class AlertKinds
{
    public const string InputEmpty = "input-empty";
    public const string OutputFull = "output-full";
    public const string RejectFull = "reject-full";
    public const string DriveFaulted = "drive-faulted";
    public const string DriveNeedsOperator = "drive-needs-operator";
    public const string NodeLost = "node-lost";

    /// <summary>Another tower alert (arm jam, printer fault, picked twice): its name in kebab case.</summary>
    public static string OfTowerAlert(string alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var kebab = new System.Text.StringBuilder();
        foreach (var c in alert)
        {
            if (char.IsUpper(c) && kebab.Length > 0)
            {
                kebab.Append('-');
            }

            kebab.Append(char.ToLowerInvariant(c));
        }

        return kebab.ToString();
    }
}
