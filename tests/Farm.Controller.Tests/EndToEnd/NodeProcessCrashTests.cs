using System.Globalization;
using Farm.Messages.Jobs;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// A <c>farm-node --config node.json</c> process on simulated drives with file-backed media, in
/// the cluster of a <c>farm serve</c> on SQLite: the node is SIGKILLed mid-write. The cluster
/// removes it and the controller re-queues its copies; started again on the same --data folder,
/// the node reports each interrupted disc with its last persisted LBA and rejects it, and the job
/// ends with every copy verified once.
/// </summary>
public sealed class NodeProcessCrashTests : IDisposable
{
    private readonly TempDirectory _folder = new("node-crash");

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// Two free ports, the lower first. With one controller and one node the cluster has two
    /// members, and when the node dies keep-majority sees one member on each side: it keeps the
    /// side with the lowest address (Akka's member ordering: host, then port). On one host the
    /// controller must have the lower port, or it would down itself with the node.
    /// </summary>
    private static (int Controller, int Node) OrderedPorts()
    {
        var (a, b) = (Processes.FreePort(), Processes.FreePort());
        while (a == b)
        {
            b = Processes.FreePort();
        }

        return (Math.Min(a, b), Math.Max(a, b));
    }

    [Fact]
    public async Task A_node_killed_mid_burn_has_its_copies_requeued_and_on_restart_reports_each_disc_and_the_job_completes()
    {
        // Two 1x DVD+R drives at time scale 10: a 32 MiB image takes about 2.4 s to write.
        await File.WriteAllTextAsync(_folder.PathOf("node.json"), """
            {
              "nodeId": "node-7",
              "timeScale": 10,
              "progress": { "intervalSeconds": 0.25, "megabytes": 4 },
              "towers": [ { "id": "T9",
                "bins": { "input": { "media": "DVD+R", "capacity": 20 } },
                "drives": [ { "id": "T9-D1", "simulate": "DVD+R", "writeSpeed": 1 }, { "id": "T9-D2", "simulate": "DVD+R", "writeSpeed": 1 } ] } ]
            }
            """);
        var image = _folder.PathOf("image.iso");
        var bytes = new byte[32 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);
        var (controllerPort, nodePort) = OrderedPorts();
        await using var farm = await InTestController.StartAsync(_folder.PathOf("farm.db"), controllerPort);
        string[] nodeArguments = ["--cluster", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{nodePort}"), "--seeds", farm.Seed,
            "--node-id", "node-7", "--data", _folder.PathOf("node-7"), "--config", _folder.PathOf("node.json")];
        string jobId;
        IReadOnlyList<CutBurn> cut;
        using (var first = FarmProcess.Start("farm-node", Processes.FarmNodeDll, nodeArguments))
        {
            await farm.WaitForIdleDrivesAsync(2, () => $"farm-node said:\n{first.Output}");
            jobId = await farm.SubmitAsync(image, copies: 3);
            await using var journal = JournalAudit.OfNode(_folder.PathOf("node-7"));
            await CrashRecoveryTests.WaitForMidWriteAsync(journal, first);
            first.Kill(); // SIGKILL
            cut = await CutBurns.InFlightAsync(journal);
        }

        Assert.Contains(cut, b => b is { Phase: "Writing", LastPersistedLba: >= 0 });

        // The cluster downs and removes the dead node; the controller, kept, re-queues what it was burning.
        await Wait.UntilAsync(
            async () =>
            {
                var events = (await farm.Journal.ControllerAsync()).Select(e => e.Event).ToList();
                return events.OfType<NodeLost>().Any(l => l.NodeId == "node-7")
                    && cut.All(b => events.OfType<CopyRequeued>().Any(r => (r.JobId, r.Copy, r.NextAttempt) == (b.Attempt.JobId, b.Attempt.Copy, b.Attempt.Attempt + 1)));
            },
            InTestController.Patience,
            () => $"the controller to lose node-7 and re-queue {string.Join(", ", cut)}; farm serve said:\n{farm.Serve.Output}");
        Assert.False(farm.Serve.HasExited, $"farm serve exited with the node:\n{farm.Serve.Output}");
        using (var http = new HttpClient { BaseAddress = new Uri(farm.Url) })
        {
            Assert.Contains(jobId, await http.GetStringAsync($"/api/jobs/{jobId}"), StringComparison.Ordinal);
        }

        using var second = FarmProcess.Start("farm-node again", Processes.FarmNodeDll, nodeArguments);
        var job = await farm.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "to complete", () => $"farm-node said:\n{second.Output}");
        await Wait.UntilAsync(async () => JournalAudit.EveryDiscBinned(await farm.Journal.ControllerAsync(), jobId), InTestController.Patience, () => $"every disc of the job binned; farm-node said:\n{second.Output}");

        Assert.Equal(3, job.Verified);
        Assert.Contains("farm-node node-7: 1 tower(s), 2 drive(s)", second.Output, StringComparison.Ordinal);
        foreach (var burn in cut)
        {
            Assert.Contains(
                $"Drive {burn.Attempt.DriveId}: job {jobId} copy {burn.Attempt.Copy} was interrupted while {burn.Phase} at LBA {burn.LastPersistedLba} of {burn.TotalBlocks}",
                second.Output,
                StringComparison.Ordinal);
        }

        var entries = await farm.Journal.ControllerAsync();
        CrashRecoveryTests.AssertEachCutBurnReportedAndRejected(entries, cut);
        JournalAudit.AssertInvariant(entries, await farm.Journal.StateAsync(), jobId, copies: 3);
    }
}
