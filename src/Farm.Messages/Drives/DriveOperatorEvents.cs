namespace Farm.Messages.Drives;

// A drive's holds, alerts and service state, appended by its RecorderActor to "drive-{DriveId}".

/// <summary>Who holds a paused drive; it runs again only when every hold is released.</summary>
public static class DriveHolds
{
    /// <summary>An operator paused the drive from the console or the CLI.</summary>
    public const string Operator = "operator";

    /// <summary>The drive needs a person (no disc, wrong disc, disc too small): cleared by an operator's resume.</summary>
    public const string Drive = "drive";

    /// <summary>The drive's tower needs a person (input empty, arm jammed, bin full): cleared with the tower's alert.</summary>
    public const string Tower = "tower";
}

/// <summary>Something about this drive an operator must act on (the disposition was NeedsOperator).</summary>
public sealed record DriveAlertRaised(string DriveId, string Alert, string Message) : IFarmEvent;

/// <summary>The drive takes no copy until <paramref name="Hold"/> is released (a burn in progress finishes first).</summary>
public sealed record DrivePaused(string DriveId, string Hold, string Why) : IFarmEvent;

/// <summary>The hold was released; the drive is idle again once no hold is left.</summary>
public sealed record DriveResumed(string DriveId, string Hold, string By) : IFarmEvent;

/// <summary>An operator put the drive back in service after maintenance.</summary>
public sealed record DriveLeftMaintenance(string DriveId, string By) : IFarmEvent;

/// <summary>
/// Found on restart: an interrupted burn on rewritable media whose job allows it is carried on
/// from <paramref name="FromLba"/> (IMAPI2's changed-ranges model) instead of being rejected.
/// </summary>
public sealed record BurnResumed(string DriveId, string JobId, int Copy, int Attempt, string DiscId, long LastPersistedLba, long FromLba, long TotalBlocks) : IFarmEvent;
