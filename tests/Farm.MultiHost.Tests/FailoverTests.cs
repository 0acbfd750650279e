using Farm.Messages.Views;
using Farm.Controller.Scheduling;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Journal;

namespace Farm.MultiHost.Tests;

/// <summary>
/// PostgreSQL + 2 controllers + 3 nodes as real processes; a process is killed with SIGKILL or
/// the database stopped mid-job; the invariant is checked from the journal every time.
/// </summary>
[Collection(PrivatePostgresTests.Name)]
public sealed class FailoverTests(PrivatePostgres postgres)
{
    private const int Copies = 12;

    [Fact]
    public async Task The_leader_killed_mid_job_leaves_the_standby_to_finish_the_job()
    {
        await using var farm = await FarmScenario.StartAsync(postgres);
        var leader = farm.Leader();
        var standby = farm.Controllers.Single(c => c != leader);
        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", farm.ImagePath, "--copies", $"{Copies}", "--store", farm.Store, "--wait");
        await submit.WaitForOutputAsync("job ", FarmScenario.Patience);
        var jobId = submit.Output.Split(' ', ':')[1];

        await farm.WaitForJobAsync(jobId, j => j.Verified >= 2 && j.InFlight > 0, "to have 2 copies verified and more in flight");
        leader.Kill();

        await standby.WaitForOutputAsync("caught up", FarmScenario.Patience);
        Assert.Matches("caught up \\(from the snapshot at ordering [1-9][0-9]+\\)", standby.Output); // the leader snapshotted every 50 events
        await submit.WaitForExitAsync(FarmScenario.Patience);
        Assert.Equal(0, submit.ExitCode);
        Assert.Contains($"job {jobId}: {Copies}/{Copies} copies verified, ", submit.Output, StringComparison.Ordinal);
        await Wait.UntilAsync(async () => JournalAudit.EveryDiscBinned(await farm.EntriesAsync(), jobId), FarmScenario.Patience, () => "every disc to be binned");
        JournalAudit.AssertInvariant(await farm.EntriesAsync(), jobId, Copies);
    }

    [Fact]
    public async Task A_node_killed_mid_burn_has_its_copies_requeued_and_finished_elsewhere_and_its_discs_reported_interrupted_on_return()
    {
        await using var farm = await FarmScenario.StartAsync(postgres);
        var jobId = await farm.SubmitAsync(Copies);
        var victim = "";
        await farm.WaitForJobAsync(jobId, j =>
        {
            var writing = j.CopyStates.Values.FirstOrDefault(c => c is { Status: CopyStatus.Assigned, Phase: "Writing" or "Closing" } && c.DriveId is not null);
            victim = writing?.DriveId?.Split("-T1-")[0] ?? "";
            return victim.Length > 0;
        }, "to have a copy writing");

        farm.Nodes[victim].Kill();
        await Wait.UntilAsync(async () => (await farm.EntriesAsync()).Any(e => e.Event is NodeLost lost && lost.NodeId == victim), FarmScenario.Patience, () => $"node {victim} to be declared lost; output:\n{farm.Outputs()}");
        var entries = await farm.EntriesAsync();
        Assert.Contains(entries, e => e.Event is CopyFailed f && f.JobId == jobId && f.Reason.Message.Contains($"node {victim} lost", StringComparison.Ordinal));
        Assert.Contains(entries, e => e.Event is CopyRequeued r && r.JobId == jobId);

        // The node comes back: it reports its interrupted disc and rejects it; nothing counts twice.
        farm.StartNode(victim);
        await farm.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "to complete");
        await Wait.UntilAsync(async () => (await farm.EntriesAsync()).Any(e => e.Event is DiscInterrupted i && i.JobId == jobId && i.DriveId.StartsWith(victim, StringComparison.Ordinal)), FarmScenario.Patience, () => $"node {victim} to report its interrupted disc");
        await Wait.UntilAsync(async () => JournalAudit.EveryDiscBinned(await farm.EntriesAsync(), jobId), FarmScenario.Patience, () => "every disc to be binned");
        JournalAudit.AssertInvariant(await farm.EntriesAsync(), jobId, Copies);
    }

    [Fact]
    public async Task PostgreSQL_stopped_for_30_seconds_mid_burn_loses_nothing()
    {
        await using var farm = await FarmScenario.StartAsync(postgres);
        var jobId = await farm.SubmitAsync(Copies);
        await farm.WaitForJobAsync(jobId, j => j.Verified >= 1 && j.CopyStates.Values.Any(c => c.Phase is "Writing" or "Closing"), "to have a copy verified and one burning");

        await postgres.StopAsync();
        try
        {
            // The outage itself: the nodes burn on from their local journals meanwhile.
            await Task.Delay(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await postgres.StartAsync();
        }

        await farm.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "to complete after the outage");
        await Wait.UntilAsync(async () => JournalAudit.EveryDiscBinned(await farm.EntriesAsync(), jobId), FarmScenario.Patience, () => "every disc to be binned");
        var entries = await farm.EntriesAsync();
        JournalAudit.AssertInvariant(entries, jobId, Copies);

        // Nothing lost: every event of every node's local journal is in the farm journal, once.
        foreach (var node in farm.Nodes.Keys)
        {
            await using var local = await SqliteJournal.OpenAsync(farm.NodeDatabase(node), TimeProvider.System, CancellationToken.None);
            var drives = (await JournalAudit.ReadAllAsync(local)).Where(e => e.PersistenceId.StartsWith("drive-", StringComparison.Ordinal) || e.PersistenceId.StartsWith("tower-", StringComparison.Ordinal)).ToList();
            var shipped = entries.Select(e => (e.PersistenceId, e.SequenceNr)).ToHashSet();
            Assert.All(drives, e => Assert.Contains((e.PersistenceId, e.SequenceNr), shipped));
        }

        Assert.Equal(entries.Count, entries.Select(e => (e.PersistenceId, e.SequenceNr)).Distinct().Count());
    }
}
