using System.Diagnostics;
using System.Globalization;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Views;
using Xunit.Abstractions;

namespace Farm.MultiHost.Tests;

/// <summary>
/// PostgreSQL + 2 controllers + 3 nodes as real processes in one Akka.Cluster; a process is killed
/// with SIGKILL or the database stopped mid-job; the invariant is read from the journals through
/// Akka.Persistence.Query every time.
/// </summary>
[Collection(PrivatePostgresTests.Name)]
public sealed class FailoverTests(PrivatePostgres postgres, ITestOutputHelper output)
{
    private const int Copies = 12;
    [Fact]
    public async Task The_singletons_host_killed_mid_job_hands_the_controller_to_the_other_and_the_job_ends_with_exactly_its_copies()
    {
        await using var farm = await FarmScenario.StartAsync(postgres);
        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", farm.ImagePath, "--copies", $"{Copies}", "--farm", farm.FarmUrls, "--wait");
        await submit.WaitForOutputAsync("job ", FarmScenario.Patience);
        var jobId = FarmScenario.JobIdIn(submit.Output);
        await farm.WaitForJobAsync(jobId, j => j.Verified >= 2 && j.InFlight > 0, "to have 2 copies verified and more in flight");

        var standby = farm.HttpOfController(1);
        Assert.True(await FarmScenario.AnswersAsync(standby, jobId), "the standby controller forwards to the singleton before the kill");
        farm.Controllers[0].Kill(); // the oldest controller: the singleton's host
        var sinceKill = Stopwatch.StartNew();
        await Wait.UntilAsync(() => FarmScenario.AnswersAsync(standby, jobId), FarmScenario.Patience, () => $"the singleton to answer again; output:\n{farm.Outputs()}");
        var failover = sinceKill.Elapsed;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"singleton failover: {failover.TotalSeconds:F1} s from SIGKILL of its host to the new singleton answering (3+2 members)"));
        Assert.True(failover < TimeSpan.FromSeconds(30), $"the new singleton answered only {failover.TotalSeconds:F1} s after the kill");

        await submit.WaitForExitAsync(FarmScenario.Patience);
        Assert.True(submit.ExitCode == 0, $"submit --wait: {submit.Output}\n{farm.Outputs()}");
        Assert.Contains($"job {jobId}: {Copies}/{Copies} copies verified, ", submit.Output, StringComparison.Ordinal);
        await farm.AssertInvariantAsync(jobId, Copies);
    }

    [Fact]
    public async Task A_node_killed_mid_burn_has_its_copies_requeued_and_finished_elsewhere_and_its_disc_reported_interrupted_on_return()
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
        await Wait.UntilAsync(async () => (await farm.Audit.ControllerAsync()).Any(e => e.Event is NodeLost lost && lost.NodeId == victim), FarmScenario.Patience, () => $"node {victim} to be declared lost; output:\n{farm.Outputs()}");

        // The controller decides on the lost node's copies right after it persisted NodeLost.
        await Wait.UntilAsync(
            async () => (await farm.Audit.ControllerAsync()).Any(e => e.Event is CopyFailed f && f.JobId == jobId && f.Reason.Message.Contains($"node {victim} left the cluster", StringComparison.Ordinal)),
            FarmScenario.Patience,
            () => $"the copy node {victim} was burning to be failed and re-queued; output:\n{farm.Outputs()}");
        Assert.Contains(await farm.Audit.ControllerAsync(), e => e.Event is CopyRequeued r && r.JobId == jobId);

        // The node comes back on the same data: it reports its interrupted disc (with its LBA) and rejects it; nothing counts twice.
        farm.StartNode(victim);
        await farm.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "to complete");
        await Wait.UntilAsync(
            async () => (await farm.Audit.ControllerAsync()).Any(e => e.Event is DiscInterrupted i && i.JobId == jobId && i.DriveId.StartsWith(victim, StringComparison.Ordinal)),
            FarmScenario.Patience,
            () => $"node {victim} to report its interrupted disc; output:\n{farm.Outputs()}");
        await farm.AssertInvariantAsync(jobId, Copies);
    }

    [Fact]
    public async Task PostgreSQL_stopped_for_30_seconds_mid_burn_loses_nothing_and_applies_nothing_twice()
    {
        await using var farm = await FarmScenario.StartAsync(postgres);
        var jobId = await farm.SubmitAsync(Copies);
        await farm.WaitForJobAsync(jobId, j => j.Verified >= 1 && j.CopyStates.Values.Any(c => c.Phase is "Writing" or "Closing"), "to have a copy verified and one burning");

        await postgres.StopAsync();
        try
        {
            // The outage itself: the nodes burn on and record in their local journals meanwhile,
            // their reports waiting in their durable delivery queues.
            await Task.Delay(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await postgres.StartAsync();
        }

        await farm.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "to complete after the outage");
        await farm.AssertInvariantAsync(jobId, Copies);

        // Nothing lost: every event a node's drives persisted (but live sector progress) reached the controller's journal, once.
        var applied = (await farm.Audit.ControllerAsync()).Where(e => e.Source.StartsWith("drive-", StringComparison.Ordinal)).Select(e => (e.Source, e.SourceSequenceNr)).ToHashSet();
        foreach (var node in farm.Nodes.Keys)
        {
            await using var local = JournalAudit.OfNode(farm.NodeData(node));
            foreach (var drive in (await local.PersistenceIdsAsync()).Where(id => id.StartsWith("drive-", StringComparison.Ordinal)))
            {
                var persisted = (await local.EventsOfAsync(drive)).Where(e => e.Event is not SectorsWritten).ToList();
                Assert.NotEmpty(persisted);
                Assert.All(persisted, e => Assert.Contains((drive, e.SequenceNr), applied));
            }
        }
    }

    [Fact]
    public async Task A_second_node_with_the_id_of_a_live_member_is_refused_and_exits_non_zero()
    {
        await using var farm = await FarmScenario.StartAsync(postgres);
        using var duplicate = FarmProcess.Start("duplicate-n1", Processes.FarmNodeDll, "--cluster", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}"),
            "--seeds", farm.Seeds, "--node-id", "n1", "--data", Path.Combine(Path.GetTempPath(), $"farm-dup-{Guid.NewGuid():N}"), "--simulate", "1");
        await duplicate.WaitForExitAsync(FarmScenario.Patience);

        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("'n1' is already used by a live member", duplicate.Output, StringComparison.Ordinal);
        Assert.False(farm.Nodes["n1"].HasExited, "the live n1 keeps running");
        Assert.Equal(6, (await farm.Audit.StateAsync()).Drives.Values.Count(d => d.Status == DriveStatus.Idle));
    }
}
