using Farm.Messages.Views;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Towers;
using Farm.Node.Journal;

namespace Farm.MultiHost.Tests;

/// <summary>Reads a whole journal and checks the farm's invariant for one job from it.</summary>
internal static class JournalAudit
{
    public static async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(IJournal journal)
    {
        var all = new List<JournalEntry>();
        while (true)
        {
            var batch = await journal.ReadAllAsync(all.Count == 0 ? 0 : all[^1].Ordering, 5000, CancellationToken.None);
            all.AddRange(batch);
            if (batch.Count < 5000)
            {
                return all;
            }
        }
    }

    public static FarmState Fold(IEnumerable<JournalEntry> entries) =>
        entries.Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, e.Event, e.Ordering, e.Timestamp));

    /// <summary>Every disc the job's drives loaded has left its drive for a bin.</summary>
    public static bool EveryDiscBinned(IReadOnlyList<JournalEntry> entries, string jobId)
    {
        var loaded = entries.Select(e => e.Event).OfType<DiscLoaded>().Where(e => e.JobId == jobId).Select(e => e.DiscId).ToHashSet(StringComparer.Ordinal);
        var unloaded = entries.Select(e => e.Event).OfType<DiscUnloaded>().Where(e => e.JobId == jobId).Select(e => e.DiscId).ToHashSet(StringComparer.Ordinal);
        return loaded.IsSubsetOf(unloaded);
    }

    /// <summary>
    /// The invariant: exactly <paramref name="copies"/> CopyVerified, one per copy; no attempt
    /// decided twice (verified or failed); every disc in an output bin is a verified attempt; every
    /// other disc is in a reject bin with a reason and its attempt recorded as failed; every disc
    /// loaded reached a bin.
    /// </summary>
    public static void AssertInvariant(IReadOnlyList<JournalEntry> entries, string jobId, int copies)
    {
        var events = entries.Select(e => e.Event).ToList();
        var verified = events.OfType<CopyVerified>().Where(e => e.JobId == jobId).ToList();
        var failed = events.OfType<CopyFailed>().Where(e => e.JobId == jobId).ToList();
        Assert.True(copies == verified.Count, $"{verified.Count} CopyVerified for {copies} copies:\n" + string.Join("\n", entries.Where(e => e.Event is CopyVerified v && v.JobId == jobId).Select(e => $"{e.Ordering} {e.PersistenceId}#{e.SequenceNr} {e.Event}")));
        Assert.Equal(Enumerable.Range(1, copies), verified.Select(v => v.Copy).Order());

        var decided = verified.Select(v => (v.Copy, v.Attempt)).Concat(failed.Select(f => (f.Copy, f.Attempt))).ToList();
        Assert.True(decided.Count == decided.Distinct().Count(), $"an attempt was counted twice: {string.Join(", ", decided.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key))}");

        var unloads = events.OfType<DiscUnloaded>().Where(e => e.JobId == jobId).ToList();
        var outputs = unloads.Where(u => u.Bin == Bins.Output).ToList();
        Assert.Equal(copies, outputs.Count);
        foreach (var output in outputs)
        {
            Assert.Contains(verified, v => v.Copy == output.Copy && v.Attempt == output.Attempt && v.DiscId == output.DiscId);
        }

        var binned = events.OfType<DiscBinned>().ToList();
        foreach (var reject in unloads.Where(u => u.Bin != Bins.Output))
        {
            Assert.Equal(Bins.Reject, reject.Bin);
            Assert.Contains(failed, f => f.Copy == reject.Copy && f.Attempt == reject.Attempt);
            Assert.Contains(binned, b => b.DiscId == reject.DiscId && b.Bin == Bins.Reject && !string.IsNullOrWhiteSpace(b.Reason));
        }

        Assert.True(EveryDiscBinned(entries, jobId), "a disc the job loaded never reached a bin");
        Assert.Equal(JobStatus.Completed, Fold(entries).Jobs[jobId].Status);
    }
}
