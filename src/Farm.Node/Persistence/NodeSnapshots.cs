using System.Collections.Immutable;
using Farm.Node.Recording;
using Farm.Node.Towers;

namespace Farm.Node.Persistence;

#pragma warning disable CA1040 // A marker interface binds the node's snapshots to their serializer.

/// <summary>A snapshot of one of the node's persistent actors; stored with <see cref="NodeSnapshotSerializer"/>.</summary>
public interface INodeSnapshot;
#pragma warning restore CA1040

/// <summary>An attempt a drive took (so a decision delivered twice is carried out once).</summary>
public sealed record TakenAttempt(string JobId, int Copy, int Attempt);

/// <summary>A recorder's <see cref="RecorderHistory"/> as stored.</summary>
public sealed record RecorderSnapshot(
    IReadOnlyList<TakenAttempt> Taken,
    OpenAttempt? Open,
    int ConsecutiveFailures,
    bool InMaintenance,
    IReadOnlyDictionary<string, string> Holds) : INodeSnapshot
{
    public static RecorderSnapshot Of(RecorderHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new(
            [.. history.Taken.OrderBy(t => t.JobId, StringComparer.Ordinal).ThenBy(t => t.Copy).ThenBy(t => t.Attempt).Select(t => new TakenAttempt(t.JobId, t.Copy, t.Attempt))],
            history.Open,
            history.ConsecutiveFailures,
            history.InMaintenance,
            history.Holds);
    }

    public RecorderHistory ToHistory() => new RecorderHistory(
        [.. Taken.Select(t => (t.JobId, t.Copy, t.Attempt))],
        Open,
        ConsecutiveFailures,
        InMaintenance)
    {
        Holds = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Holds),
    };
}

/// <summary>A tower's <see cref="TowerHistory"/> as stored.</summary>
public sealed record TowerSnapshot(
    int Picked,
    int Output,
    int Reject,
    IReadOnlyDictionary<string, string> DiscInDrive,
    IReadOnlyDictionary<string, string> Alerts) : INodeSnapshot
{
    public static TowerSnapshot Of(TowerHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new(history.Picked, history.Output, history.Reject, history.DiscInDrive, history.Alerts);
    }

    public TowerHistory ToHistory() => new TowerHistory(
        Picked,
        Output,
        Reject,
        ImmutableDictionary.CreateRange(StringComparer.Ordinal, DiscInDrive))
    {
        Alerts = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Alerts),
    };
}
