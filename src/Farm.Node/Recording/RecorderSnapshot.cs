using System.Collections.Immutable;
using Farm.Node.Persistence;

namespace Farm.Node.Recording;

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
