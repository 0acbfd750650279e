namespace Farm.Messages.Towers;

// A tower's operator-facing events, appended by its TowerActor to "tower-{TowerId}".

/// <summary>The names of a tower's alerts (a sensor or a failed move).</summary>
public static class TowerAlerts
{
    public const string InputEmpty = "InputEmpty";
    public const string OutputFull = "OutputFull";
    public const string RejectFull = "RejectFull";
    public const string PickedTwice = "PickedTwice";
    public const string ArmJam = "ArmJam";
    public const string PrinterFault = "PrinterFault";
}

/// <summary>An operator dealt with the alert (refilled the bin, freed the arm); the tower's drives may run again.</summary>
public sealed record TowerAlertCleared(string TowerId, string Alert, string By) : IFarmEvent;

/// <summary>The tower's printer printed a disc's label (the template with its fields merged).</summary>
public sealed record LabelPrinted(string TowerId, string DriveId, string DiscId, string Text, TimeSpan Duration) : IFarmEvent;
