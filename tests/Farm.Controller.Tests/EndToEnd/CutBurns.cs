using Farm.Messages.Drives;
using Farm.MultiHost.Tests;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>One attempt at a copy on one drive.</summary>
internal sealed record AttemptKey(string JobId, int Copy, int Attempt, string DriveId);

/// <summary>A burn a node's journal shows in flight: the step it had reached and the last LBA it persisted (-1: none yet).</summary>
internal sealed record CutBurn(AttemptKey Attempt, string Phase, long LastPersistedLba, long TotalBlocks, string? DiscId);

/// <summary>
/// Reads a node's local journal (node.db, through Akka.Persistence.Query) the way an operator
/// would read it after a power cut: which burns were in flight, and how far each had got.
/// </summary>
internal static class CutBurns
{
    /// <summary>Every drive's burn that was taken and not yet finished, failed, reported interrupted or binned.</summary>
    public static async Task<IReadOnlyList<CutBurn>> InFlightAsync(JournalAudit node)
    {
        var cut = new List<CutBurn>();
        foreach (var stream in (await node.PersistenceIdsAsync()).Where(id => id.StartsWith("drive-", StringComparison.Ordinal)))
        {
            if (Open(await node.EventsOfAsync(stream)) is { } open)
            {
                cut.Add(open);
            }
        }

        return cut;
    }

    /// <summary>The burn one drive's stream leaves open, if any.</summary>
    private static CutBurn? Open(IReadOnlyList<(long SequenceNr, object Event)> stream)
    {
        CutBurn? open = null;
        foreach (var (_, e) in stream)
        {
            open = e switch
            {
                BurnAssigned a => new CutBurn(new AttemptKey(a.JobId, a.Copy, a.Attempt, a.DriveId), "Loading", -1, a.TotalBlocks, null),
                DiscLoaded l when open is not null => open with { Phase = "Preparing", DiscId = l.DiscId },
                BurnStarted s when open is not null => open with { Phase = "Writing", LastPersistedLba = Math.Max(open.LastPersistedLba, s.StartLba - 1), TotalBlocks = s.TotalBlocks },
                SectorsWritten w when open is not null => open with { LastPersistedLba = w.LastWrittenLba },
                BurnClosing c when open is not null => open with { Phase = "Closing", LastPersistedLba = c.LastWrittenLba },
                BurnFinished f when open is not null => open with { Phase = "Verifying", LastPersistedLba = f.Blocks - 1 },
                DiscVerified or BurnFailed or DiscInterrupted or DiscUnloaded => null,
                _ => open,
            };
        }

        return open;
    }
}
