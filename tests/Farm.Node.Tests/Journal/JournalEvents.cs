using Farm.Messages;
using Farm.Messages.Drives;

namespace Farm.Node.Tests.Journal;

/// <summary>Events the journal tests append: registered, and told apart by drive and position.</summary>
internal static class JournalEvents
{
    public static IReadOnlyList<IFarmEvent> DriveEvents(string driveId, int count, int first = 1) =>
        Enumerable.Range(first, count)
            .Select(i => (IFarmEvent)new SectorsWritten(driveId, "job-1", 1, i * 16L, 2_295_104, 11_080_000.5 + i))
            .ToList();
}
