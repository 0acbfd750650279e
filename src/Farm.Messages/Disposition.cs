namespace Farm.Messages;

/// <summary>
/// What the rest of the farm does about a device error. Decided once, where the sense data is
/// decoded, so no caller has to interpret sense codes again.
/// </summary>
public enum Disposition
{
    /// <summary>Not an error (or a success code such as S_IMAPI_SPEEDADJUSTED).</summary>
    None = 0,

    /// <summary>Send the same command again at once (unit attention already cleared, bus busy).</summary>
    RetryCommand = 1,

    /// <summary>Wait, then send it again (becoming ready, long write in progress 02/04/08).</summary>
    WaitAndRetry = 2,

    /// <summary>This disc is lost: reject it and burn the copy again on fresh media, preferably elsewhere.</summary>
    FailDisc = 3,

    /// <summary>The drive itself is suspect: take it out of service until someone looks at it.</summary>
    DriveToMaintenance = 4,

    /// <summary>A person must act (no media, upside down, write protected) before the drive is useful.</summary>
    NeedsOperator = 5,
}
