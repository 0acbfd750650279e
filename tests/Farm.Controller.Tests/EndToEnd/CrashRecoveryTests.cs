using System.Globalization;
using System.Text.RegularExpressions;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.MultiHost.Tests;
using Farm.Node.Configuration;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// <c>farm demo</c> as a real process, killed with SIGKILL in the middle of a burn and started
/// again on the same --data folder: it finishes the job, prints each interrupted disc with the
/// last LBA its node journal had persisted, rejects it and burns the copy again; the controller's
/// journal shows nothing lost or counted twice.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _folder = new("farm-crash");

    public void Dispose() => _folder.Dispose();

    /// <summary>The line the demo prints for a disc its start found interrupted.</summary>
    internal static string InterruptedLine(CutBurn burn) => burn.LastPersistedLba < 0
        ? $"interrupted: copy {burn.Attempt.Copy} on drive {burn.Attempt.DriveId} while {burn.Phase}, before the first block was written (of {burn.TotalBlocks})"
        : $"interrupted: copy {burn.Attempt.Copy} on drive {burn.Attempt.DriveId} while {burn.Phase}, last persisted LBA {burn.LastPersistedLba} of {burn.TotalBlocks}";

    /// <summary>Waits until a drive of the node has persisted progress of a burn still being written.</summary>
    internal static Task WaitForMidWriteAsync(JournalAudit node, FarmProcess process) =>
        Wait.UntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"{process.Name} ended before a burn was caught mid-write:\n{process.Output}");
                return (await CutBurns.InFlightAsync(node)).Any(b => b is { Phase: "Writing", LastPersistedLba: >= 0 });
            },
            Patience,
            () => $"a burn with persisted progress still being written; {process.Name} said:\n{process.Output}");

    /// <summary>What the controller's journal must show for each burn that was cut: reported once with its LBA, failed once, its disc rejected.</summary>
    internal static void AssertEachCutBurnReportedAndRejected(IReadOnlyList<AuditEntry> entries, IReadOnlyList<CutBurn> cut)
    {
        var events = entries.Select(e => e.Event).ToList();
        foreach (var burn in cut)
        {
            var (jobId, copy, attempt, driveId) = burn.Attempt;
            var reported = Assert.Single(events.OfType<DiscInterrupted>(), i => (i.JobId, i.Copy, i.Attempt, i.DriveId) == (jobId, copy, attempt, driveId));
            Assert.Equal((burn.Phase, burn.LastPersistedLba, burn.TotalBlocks), (reported.Phase, reported.LastPersistedLba, reported.TotalBlocks));
            Assert.Single(events.OfType<CopyFailed>(), f => (f.JobId, f.Copy, f.Attempt) == (jobId, copy, attempt));
            Assert.Single(events.OfType<CopyRequeued>(), r => (r.JobId, r.Copy, r.NextAttempt) == (jobId, copy, attempt + 1));
            if (burn.DiscId is not null)
            {
                Assert.Single(events.OfType<DiscUnloaded>(), u => (u.JobId, u.Copy, u.Attempt, u.DiscId, u.Bin) == (jobId, copy, attempt, burn.DiscId, Bins.Reject));
            }
        }
    }

    [Fact]
    public async Task Farm_demo_killed_mid_burn_and_started_again_finishes_the_job_and_reports_each_interrupted_disc()
    {
        // 1x DVD+R at time scale 10: the 32 MiB sample takes about 2.4 s to write, long enough to be caught mid-write.
        string[] arguments = ["demo", "--data", _folder.FullPath, "--copies", "3", "--drives", "2", "--time-scale", "10", "--write-speed", "1", "--exit-when-done"];
        string jobId;
        IReadOnlyList<CutBurn> cut;
        using (var first = FarmProcess.Start("farm demo", Processes.FarmDll, [.. arguments, "--port", Port()]))
        {
            await first.WaitForOutputAsync("console: ", Patience);
            jobId = Regex.Match(first.Output, @"job (\S+): 3 copies").Groups[1].Value;
            await using var node = JournalAudit.OfNode(_folder.FullPath);
            await WaitForMidWriteAsync(node, first);

            first.Kill(); // SIGKILL: no clean-up of any kind
            cut = await CutBurns.InFlightAsync(node);
        }

        Assert.Contains(cut, b => b is { Phase: "Writing", LastPersistedLba: >= 0 });

        using var second = FarmProcess.Start("farm demo again", Processes.FarmDll, [.. arguments, "--port", Port()]);
        await second.WaitForExitAsync(Patience);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"resuming job {jobId}", second.Output, StringComparison.Ordinal);
        Assert.Matches($@"job {jobId}: 3/3 copies verified, {cut.Count} rejected", second.Output);
        Assert.All(cut, burn => Assert.Contains(InterruptedLine(burn), second.Output, StringComparison.Ordinal));
        await using var farm = JournalAudit.OfFarm(new JournalAddress(true, _folder.PathOf("farm.db")));
        var entries = await farm.ControllerAsync();
        AssertEachCutBurnReportedAndRejected(entries, cut);
        JournalAudit.AssertInvariant(entries, await farm.StateAsync(), jobId, copies: 3);
    }

    private static string Port() => Processes.FreePort().ToString(CultureInfo.InvariantCulture);
}
