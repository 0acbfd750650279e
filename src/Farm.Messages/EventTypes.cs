using System.Collections.Frozen;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;

namespace Farm.Messages;

/// <summary>
/// The journal's manifest table: manifest string &lt;-&gt; event type. A manifest is the type's
/// short name; it is written into every row, so it must never change for a stored event.
/// </summary>
public static class EventTypes
{
    private static readonly Type[] Known =
    [
        typeof(JobSubmitted), typeof(CopyAssigned), typeof(CopyVerified), typeof(CopyFailed),
        typeof(CopyRequeued), typeof(JobCompleted), typeof(JobFailed),
        typeof(JobHeld), typeof(JobResumed), typeof(JobCancelled), typeof(CopyAbortRequested), typeof(DriveMaintenanceOrdered), typeof(NodeLost),
        typeof(NodeHeartbeat),
        typeof(DriveCameOnline), typeof(BurnAssigned), typeof(DiscLoaded), typeof(BurnStarted),
        typeof(SectorsWritten), typeof(BurnClosing), typeof(BurnFinished), typeof(DiscVerified), typeof(BurnFailed),
        typeof(DiscUnloaded), typeof(DriveIdle), typeof(DriveEnteredMaintenance), typeof(DiscInterrupted),
        typeof(TowerBinsReported), typeof(DiscPicked), typeof(DiscBinned), typeof(TowerAlertRaised),
        typeof(DriveAlertRaised), typeof(DrivePaused), typeof(DriveResumed), typeof(DriveLeftMaintenance), typeof(BurnResumed),
        typeof(TowerAlertCleared), typeof(LabelPrinted),
    ];

    private static readonly FrozenDictionary<string, Type> ByManifest =
        Known.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Every event type the farm persists.</summary>
    public static IReadOnlyCollection<Type> All => Known;

    /// <summary>The manifest written for an event.</summary>
    public static string ManifestOf(IFarmEvent farmEvent)
    {
        ArgumentNullException.ThrowIfNull(farmEvent);
        var type = farmEvent.GetType();
        return ByManifest.ContainsKey(type.Name)
            ? type.Name
            : throw new ArgumentException($"{type.FullName} is not a registered farm event; add it to {nameof(EventTypes)}.", nameof(farmEvent));
    }

    /// <summary>The event type for a stored manifest, or null if this build does not know it.</summary>
    public static Type? TypeOf(string manifest) => ByManifest.GetValueOrDefault(manifest);
}
