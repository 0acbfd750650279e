using Farm.Messages.Drives;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

// Operator commands and tower holds: what the node does when a person, or a tower, says stop.
public sealed partial class NodeHost
{
    /// <summary>The drive's actor, or an exception naming the drives this node has.</summary>
    public RecorderActor Drive(string driveId) =>
        recorders.TryGetValue(driveId, out var recorder)
            ? recorder
            : throw new ArgumentException($"node {nodeId} has no drive '{driveId}'; it has {string.Join(", ", recorders.Keys)}", nameof(driveId));

    /// <summary>The tower's actor, or an exception naming the towers this node has.</summary>
    public TowerActor Tower(string towerId) =>
        towers.FirstOrDefault(t => t.TowerId == towerId)
            ?? throw new ArgumentException($"node {nodeId} has no tower '{towerId}'; it has {string.Join(", ", towers.Select(t => t.TowerId))}", nameof(towerId));

    /// <summary>An operator pauses the drive (after the disc it is burning, if any).</summary>
    public bool PauseDrive(string driveId, string why) => Drive(driveId).Tell(new RecorderActor.Pause(DriveHolds.Operator, why));

    /// <summary>An operator releases the holds an operator may release (theirs and the drive's own).</summary>
    public bool ResumeDrive(string driveId, string by) => Drive(driveId).Tell(new RecorderActor.ResumeDrive(null, by));

    public bool SetMaintenance(string driveId, bool on, string why) => Drive(driveId).Tell(new RecorderActor.SetMaintenance(on, why));

    /// <summary>A tower needs a person, or no longer does: its drives hold, or are released.</summary>
    private void OnTowerHoldChanged(TowerHoldChanged change)
    {
        LogTowerHold(change.TowerId, change.Held, change.Why);
        foreach (var recorder in recorders.Values.Where(r => r.TowerId == change.TowerId))
        {
            recorder.Tell(change.Held
                ? new RecorderActor.Pause(DriveHolds.Tower, change.Why)
                : new RecorderActor.ResumeDrive(DriveHolds.Tower, $"tower {change.TowerId}"));
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Tower {TowerId} held: {Held} ({Why})")]
    private partial void LogTowerHold(string towerId, bool held, string why);
}
