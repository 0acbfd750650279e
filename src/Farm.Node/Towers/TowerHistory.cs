using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Towers;

namespace Farm.Node.Towers;

/// <summary>
/// A tower's physical state as its journal stream tells it: blanks taken, discs in each bin, the
/// disc in each drive, and the alerts an operator has not cleared yet. A node rebuilds a simulated
/// tower from this after a restart, so the bins it shows are the bins it had.
/// </summary>
public sealed record TowerHistory(int Picked, int Output, int Reject, ImmutableDictionary<string, string> DiscInDrive)
{
    public static readonly TowerHistory Empty = new(0, 0, 0, ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Alert -> message, for the alerts still standing.</summary>
    public ImmutableSortedDictionary<string, string> Alerts { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public static TowerHistory Replay(IEnumerable<IFarmEvent> events) => events.Aggregate(Empty, Apply);

    public static TowerHistory Apply(TowerHistory history, IFarmEvent farmEvent)
    {
        ArgumentNullException.ThrowIfNull(history);
        return farmEvent switch
        {
            DiscPicked e => history with { Picked = history.Picked + 1, DiscInDrive = history.DiscInDrive.SetItem(e.DriveId, e.DiscId) },
            DiscBinned e when e.Bin == Bins.Output => history with { Output = history.Output + 1, DiscInDrive = history.DiscInDrive.Remove(e.DriveId) },
            DiscBinned e => history with { Reject = history.Reject + 1, DiscInDrive = history.DiscInDrive.Remove(e.DriveId) },
            TowerAlertRaised e => history with { Alerts = history.Alerts.SetItem(e.Alert, e.Message) },
            TowerAlertCleared e => history with { Alerts = history.Alerts.Remove(e.Alert) },
            _ => history,
        };
    }
}
