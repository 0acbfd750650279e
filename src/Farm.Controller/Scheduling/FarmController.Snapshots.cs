using Farm.Messages.Views;
using System.Collections.Immutable;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

/// <summary>
/// Snapshots of the controller's projection, so a restarted or standby controller rebuilds from
/// the latest snapshot plus the tail after it instead of the farm's whole history. A snapshot is
/// the <see cref="FarmState"/> after every event up to its global ordering (its sequence number in
/// the snapshot table): the tail never skips an event below the ordering it read (DESIGN.md
/// section 4), so snapshot + tail equals a full replay. The projection is a pure function of the
/// journal, so any controller's snapshot is as good as the leader's.
/// </summary>
public sealed partial class FarmController
{
    /// <summary>
    /// The snapshot stream. The version is in the name: a FarmState whose shape changes must not
    /// be read from an older snapshot (bump it, and the next start replays the journal once).
    /// </summary>
    public const string SnapshotStreamId = "controller-projection-v1";

    private long snapshotOrdering;

    /// <summary>The ordering of the snapshot this controller started from, or 0 when it replayed the whole journal.</summary>
    public long RestoredFromOrdering { get; private set; }

    /// <summary>Starts from the latest snapshot, if the store keeps snapshots and has a readable one.</summary>
    private async Task RestoreSnapshotAsync(CancellationToken cancellationToken)
    {
        if (snapshots is null || State.LastOrdering > 0)
        {
            return;
        }

        SnapshotEntry<FarmState>? latest;
        try
        {
            latest = await snapshots.LoadSnapshotAsync<FarmState>(SnapshotStreamId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or InvalidDataException or NotSupportedException)
        {
            // A snapshot is only a shortcut: the journal is the truth, so replay it.
            LogSnapshotUnreadable(unreadable.Message);
            return;
        }

        if (latest is null)
        {
            return;
        }

        Volatile.Write(ref state, WithOrdinalKeys(latest.State) with { LastOrdering = latest.SequenceNr });
        snapshotOrdering = latest.SequenceNr;
        RestoredFromOrdering = latest.SequenceNr;
        LogSnapshotRestored(latest.SequenceNr, latest.State.Jobs.Count, latest.State.Drives.Count);
    }

    /// <summary>Saves the state once <see cref="SchedulerOptions.SnapshotEvery"/> events were applied since the last snapshot.</summary>
    private async Task SaveSnapshotIfDueAsync(CancellationToken cancellationToken)
    {
        var current = State;
        if (snapshots is null || current.LastOrdering - snapshotOrdering < options.SnapshotEvery)
        {
            return;
        }

        try
        {
            await snapshots.SaveSnapshotAsync(SnapshotStreamId, current.LastOrdering, current, cancellationToken).ConfigureAwait(false);
            LogSnapshotSaved(current.LastOrdering);
        }
        catch (Exception unsaved) when (unsaved is System.Text.Json.JsonException or NotSupportedException)
        {
            // Never stop deciding for a shortcut: a state that cannot be written is replayed instead.
            LogSnapshotUnsaved(current.LastOrdering, unsaved.Message);
        }

        snapshotOrdering = current.LastOrdering;
    }

    /// <summary>
    /// JSON gives sorted dictionaries the default comparer; the scheduler's order (drives, jobs,
    /// towers) must be the ordinal one a replay builds, or a restored controller would decide in
    /// another order than the one it replaced.
    /// </summary>
    private static FarmState WithOrdinalKeys(FarmState restored) => restored with
    {
        Jobs = restored.Jobs.WithComparers(StringComparer.Ordinal),
        Drives = restored.Drives.WithComparers(StringComparer.Ordinal),
        Towers = restored.Towers.WithComparers(StringComparer.Ordinal),
        Nodes = restored.Nodes.WithComparers(StringComparer.Ordinal),
    };

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Restored the farm from its snapshot at ordering {Ordering} ({Jobs} jobs, {Drives} drives); reading the journal after it")]
    private partial void LogSnapshotRestored(long ordering, int jobs, int drives);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Debug, Message = "Saved a snapshot of the farm at ordering {Ordering}")]
    private partial void LogSnapshotSaved(long ordering);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "The farm's state at ordering {Ordering} could not be saved as a snapshot: {Reason}")]
    private partial void LogSnapshotUnsaved(long ordering, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "The farm's snapshot cannot be read ({Reason}); replaying the whole journal instead")]
    private partial void LogSnapshotUnreadable(string reason);
}
