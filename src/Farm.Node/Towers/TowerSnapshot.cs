using System.Collections.Immutable;
using Farm.Node.Persistence;

namespace Farm.Node.Towers;

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
