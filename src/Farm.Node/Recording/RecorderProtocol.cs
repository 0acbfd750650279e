using Farm.Messages.Jobs;

namespace Farm.Node.Recording;

/// <summary>
/// What a drive's <see cref="RecorderActor"/> takes besides the controller's messages
/// (<see cref="CopyAssigned"/>, <see cref="CopyAbortRequested"/>, <see cref="Farm.Messages.Protocol.DriveCommand"/>):
/// local orders from its node, never serialized.
/// </summary>
public static class RecorderProtocol
{
    /// <summary>Answered with the drive's <see cref="RecorderStatus"/>.</summary>
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    /// <summary>Take no copy until <paramref name="Hold"/> is released (see <see cref="Farm.Messages.Drives.DriveHolds"/>); a burn in progress finishes first.</summary>
    public sealed record Pause(string Hold, string Why);

    /// <summary>Release <paramref name="Hold"/>; null releases what an operator may release (the operator's and the drive's holds).</summary>
    public sealed record ResumeHolds(string? Hold, string By);

    /// <summary>Take the drive out of service (<paramref name="On"/>) or put it back.</summary>
    public sealed record SetMaintenance(bool On, string Why);

    /// <summary>
    /// Stop the drive's actor (the node is shutting down). A burn in progress is cut short when
    /// <paramref name="CutBurnShort"/>, its last position persisted so the next start reports it,
    /// else it finishes first. Answered with <see cref="DriveStopped"/>.
    /// </summary>
    public sealed record StopDrive(bool CutBurnShort);

    /// <summary>The drive's actor has stopped; its status as it stopped.</summary>
    public sealed record DriveStopped(string DriveId, RecorderStatus Last);
}
