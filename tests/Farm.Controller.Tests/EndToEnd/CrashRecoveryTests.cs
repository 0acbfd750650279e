using System.Diagnostics;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Towers;
using Farm.Node.Journal;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// Real processes killed with SIGKILL in the middle of a burn and started again on the same data
/// folder: the interrupted disc is reported with its last persisted LBA, rejected, and its copy
/// burned again; the journal shows no event lost or applied twice.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly TempDirectory folder = new("farm-crash");

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Farm_demo_killed_mid_burn_and_started_again_finishes_the_job_and_reports_each_interrupted_disc()
    {
        // 1x DVD+R at time scale 10: a 32 MiB disc takes about 2.4 s to write, long enough to be caught mid-write.
        string[] arguments = ["demo", "--data", folder.FullPath, "--copies", "3", "--drives", "2", "--time-scale", "10", "--write-speed", "1", "--exit-when-done"];
        // The test opens the journal first (WAL: several processes share it) and watches it from outside.
        await using (var watch = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None))
        using (var first = Process.Start(FarmCli.StartInfo([.. arguments, "--port", FarmCli.FreePort().ToString()]))!)
        {
            var drain = Task.WhenAll(first.StandardOutput.ReadToEndAsync(), first.StandardError.ReadToEndAsync());
            await WaitForMidWriteAsync(watch, first);
            first.Kill(); // SIGKILL on Linux: no clean-up runs
            await first.WaitForExitAsync();
            await drain;
        }

        var beforeRestart = await ReadJournalAsync();
        var cut = OpenAttempts(beforeRestart);
        Assert.NotEmpty(cut);

        var second = await FarmCli.RunAsync(Patience, [.. arguments, "--port", FarmCli.FreePort().ToString()]);

        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Matches(@"job \S+: 3/3 copies verified, \d+ rejected", second.Output);
        var journal = await ReadJournalAsync();
        var interrupted = journal.Select(e => e.Event).OfType<DiscInterrupted>().ToList();
        foreach (var (attempt, lastPersisted) in cut)
        {
            // The report names the copy, the drive and the last persisted LBA of the total, as the journal had it at the kill.
            var reported = Assert.Single(interrupted, i => (i.JobId, i.Copy, i.Attempt, i.DriveId) == attempt);
            Assert.Equal(lastPersisted, reported.LastPersistedLba);
            Assert.Contains($"interrupted: copy {reported.Copy} on drive {reported.DriveId} while {reported.Phase}, last persisted LBA {reported.LastPersistedLba} of {reported.TotalBlocks}", second.Output, StringComparison.Ordinal);
        }

        AssertExactlyOnce(journal, copies: 3);
        Assert.Equal(interrupted.Count, journal.Select(e => e.Event).OfType<DiscBinned>().Count(b => b.Bin == Bins.Reject));
    }

    /// <summary>Waits until a drive has persisted progress of a burn that is still writing, then returns.</summary>
    internal static async Task WaitForMidWriteAsync(IJournal journal, Process process)
    {
        using var timeout = new CancellationTokenSource(Patience);
        long after = 0;
        while (true)
        {
            Assert.False(process.HasExited, "the process ended before a burn was caught mid-write");
            var batch = await journal.ReadAllAsync(after, 10_000, timeout.Token);
            if (batch.Count > 0)
            {
                after = batch[^1].Ordering;
                if (batch.Any(e => e.Event is SectorsWritten) && OpenAttempts(await journal.ReadAllAsync(0, int.MaxValue, timeout.Token)).Count > 0)
                {
                    return;
                }
            }

            await journal.WaitForNewEventsAsync(after, timeout.Token);
        }
    }

    /// <summary>Burns the journal shows in flight (started, not finished, failed or reported), with their last persisted LBA.</summary>
    internal static Dictionary<(string JobId, int Copy, int Attempt, string DriveId), long> OpenAttempts(IEnumerable<JournalEntry> journal)
    {
        var open = new Dictionary<(string, int, int, string), long>();
        var attemptOf = new Dictionary<string, (string, int, int, string)>(StringComparer.Ordinal);
        foreach (var entry in journal)
        {
            switch (entry.Event)
            {
                case BurnAssigned e:
                    attemptOf[e.DriveId] = (e.JobId, e.Copy, e.Attempt, e.DriveId);
                    break;
                case BurnStarted e:
                    open[attemptOf[e.DriveId]] = e.StartLba - 1;
                    break;
                case SectorsWritten e when open.ContainsKey(attemptOf[e.DriveId]):
                    open[attemptOf[e.DriveId]] = e.LastWrittenLba;
                    break;
                case BurnClosing e when open.ContainsKey(attemptOf[e.DriveId]):
                    // Still in flight: a disc cut while closing is interrupted too, at this LBA.
                    open[attemptOf[e.DriveId]] = e.LastWrittenLba;
                    break;
                case BurnFinished e:
                    open.Remove(attemptOf[e.DriveId]);
                    break;
                case BurnFailed e:
                    open.Remove(attemptOf[e.DriveId]);
                    break;
                case DiscInterrupted e:
                    open.Remove(attemptOf[e.DriveId]);
                    break;
            }
        }

        return open;
    }

    private async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync()
    {
        await using var journal = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        return await journal.ReadAllAsync(0, int.MaxValue, CancellationToken.None);
    }

    /// <summary>
    /// No event lost or applied twice: sequence numbers 1..n in every stream; each copy verified
    /// exactly once; every failed or interrupted attempt recorded once as CopyFailed and re-queued
    /// once; every attempt taken at most once by a drive.
    /// </summary>
    internal static void AssertExactlyOnce(IReadOnlyList<JournalEntry> journal, int copies)
    {
        foreach (var stream in journal.GroupBy(e => e.PersistenceId))
        {
            Assert.Equal(Enumerable.Range(1, stream.Count()).Select(n => (long)n), stream.Select(e => e.SequenceNr));
        }

        var events = journal.Select(e => e.Event).ToList();
        var verified = events.OfType<CopyVerified>().ToList();
        Assert.Equal(Enumerable.Range(1, copies), verified.Select(v => v.Copy).Order());
        var failed = events.OfType<CopyFailed>().Select(f => (f.JobId, f.Copy, f.Attempt)).ToList();
        Assert.Equal(failed.Distinct().Count(), failed.Count);
        foreach (var gone in events.OfType<DiscInterrupted>().Select(i => (i.JobId, i.Copy, i.Attempt)).Concat(events.OfType<BurnFailed>().Select(f => (f.JobId, f.Copy, f.Attempt))))
        {
            Assert.Single(failed, f => f == gone);
            Assert.Single(events.OfType<CopyRequeued>(), r => (r.JobId, r.Copy, r.NextAttempt) == (gone.JobId, gone.Copy, gone.Attempt + 1));
        }

        var taken = events.OfType<BurnAssigned>().Select(b => (b.JobId, b.Copy, b.Attempt)).ToList();
        Assert.Equal(taken.Distinct().Count(), taken.Count);
        Assert.Equal(verified.Count + failed.Count, taken.Count);
    }
}
