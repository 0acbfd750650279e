using System.Collections.Frozen;
using Farm.Messages.Alerts;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Messages.Serialization;

/// <summary>
/// The manifest table: manifest string &lt;-&gt; type, for every message and event of the farm and for
/// the controller's snapshot. A manifest is the type's short name; it is stored with every journal
/// row and snapshot and sent with every remote message, so it must never change for a type once
/// shipped (rename the type, keep its manifest here, if you must).
/// </summary>
public static class FarmManifests
{
    private static readonly Type[] Events =
    [
        typeof(JobSubmitted), typeof(CopyAssigned), typeof(CopyVerified), typeof(CopyFailed),
        typeof(CopyRequeued), typeof(JobCompleted), typeof(JobFailed),
        typeof(JobHeld), typeof(JobResumed), typeof(JobCancelled), typeof(CopyAbortRequested), typeof(DriveMaintenanceOrdered), typeof(NodeLost),
        typeof(NodeJoined), typeof(NodeReported),
        typeof(DriveCameOnline), typeof(BurnAssigned), typeof(DiscLoaded), typeof(BurnStarted),
        typeof(SectorsWritten), typeof(BurnClosing), typeof(BurnFinished), typeof(DiscVerified), typeof(BurnFailed),
        typeof(DiscUnloaded), typeof(DriveIdle), typeof(DriveEnteredMaintenance), typeof(DiscInterrupted),
        typeof(TowerBinsReported), typeof(DiscPicked), typeof(DiscBinned), typeof(TowerAlertRaised),
        typeof(DriveAlertRaised), typeof(DrivePaused), typeof(DriveResumed), typeof(DriveLeftMaintenance), typeof(BurnResumed),
        typeof(TowerAlertCleared), typeof(LabelPrinted), typeof(AlertAcknowledged), typeof(DiscCountAnswered),
    ];

    private static readonly Type[] Messages =
    [
        typeof(RegisterNode), typeof(JoinThisCluster), typeof(NodeRegistered), typeof(NodeRefused), typeof(NodeReport), typeof(NodeReportBatch),
        typeof(DriveCommand), typeof(DriveLive), typeof(NodeImageReads), typeof(VerifiedDiscClaim), typeof(VerifiedDiscAnswer),
        typeof(SubmitJob), typeof(JobAccepted), typeof(ControlJob), typeof(ControlDrive),
        typeof(CommandAccepted), typeof(CommandRefused), typeof(GetFarmState), typeof(AcknowledgeAlert), typeof(RefillTower),
        typeof(FarmState),
    ];

    private static readonly FrozenDictionary<string, Type> ByManifest =
        Events.Concat(Messages).ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> ByType =
        Events.Concat(Messages).ToFrozenDictionary(t => t, t => t.Name);

    /// <summary>Every event type the farm persists.</summary>
    public static IReadOnlyCollection<Type> AllEvents => Events;

    /// <summary>Every type the serializer knows: events, messages and the controller's snapshot.</summary>
    public static IReadOnlyCollection<Type> All => ByType.Keys;

    /// <summary>The manifest written for a message or event.</summary>
    public static string ManifestOf(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ByType.TryGetValue(message.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{message.GetType().FullName} is not a registered farm message; add it to {nameof(FarmManifests)}.", nameof(message));
    }

    /// <summary>The type for a stored or received manifest, or null if this build does not know it.</summary>
    public static Type? TypeOf(string manifest) => ByManifest.GetValueOrDefault(manifest);
}
