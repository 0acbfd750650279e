using Farm.Messages.Views;
using System.Diagnostics;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Journal;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// A <c>farm-node --config node.json</c> process on simulated drives with file-backed media, and
/// the controller in the test on the same SQLite journal: the node is SIGKILLed mid-write and
/// started again; the interrupted disc is reported with its last persisted LBA, rejected, and its
/// copy burned again; nothing is lost or applied twice.
/// </summary>
public sealed class NodeProcessCrashTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly TempDirectory folder = new("node-crash");

    public void Dispose() => folder.Dispose();

    private ProcessStartInfo Node()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "farm-node.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(folder.PathOf("node.json"));
        return start;
    }

    [Fact]
    public async Task A_node_killed_mid_burn_reports_the_disc_on_restart_and_the_copy_is_burned_again()
    {
        // Two 1x DVD+R drives at time scale 10: a 32 MiB image takes about 2.4 s to write.
        await File.WriteAllTextAsync(folder.PathOf("node.json"), """
            {
              "nodeId": "node-7",
              "journal": "sqlite:farm.db",
              "timeScale": 10,
              "progress": { "intervalSeconds": 0.25, "megabytes": 4 },
              "towers": [ { "id": "T9",
                "bins": { "input": { "media": "DVD+R", "capacity": 20 } },
                "drives": [ { "id": "T9-D1", "simulate": "DVD+R", "writeSpeed": 1 }, { "id": "T9-D2", "simulate": "DVD+R", "writeSpeed": 1 } ] } ]
            }
            """);
        var image = folder.PathOf("image.iso");
        var bytes = new byte[32 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);

        await using var farm = await InTestController.StartAsync(folder.PathOf("farm.db"));
        var (journal, controller) = (farm.Journal, farm.Controller);
        var jobId = await controller.SubmitAsync(new JobRequest(image, bytes.Length / 2048, 3, VerifyMode.Full, "DVD+R"), CancellationToken.None);

        Dictionary<(string JobId, int Copy, int Attempt, string DriveId), long> cut;
        using (var first = Process.Start(Node())!)
        {
            var drain = Task.WhenAll(first.StandardOutput.ReadToEndAsync(), first.StandardError.ReadToEndAsync());
            await CrashRecoveryTests.WaitForMidWriteAsync(journal, first);
            first.Kill(); // SIGKILL
            await first.WaitForExitAsync();
            await drain;
            cut = CrashRecoveryTests.OpenAttempts(await journal.ReadAllAsync(0, int.MaxValue, CancellationToken.None));
        }

        Assert.NotEmpty(cut);
        using (var second = Process.Start(Node())!)
        {
            var output = second.StandardOutput.ReadToEndAsync();
            var error = second.StandardError.ReadToEndAsync();
            var outcome = await Task.WhenAny(farm.JobEnded, second.WaitForExitAsync(), Task.Delay(Patience));
            Assert.True(outcome == farm.JobEnded, $"the job did not end; farm-node: {(second.HasExited ? await error : "still running")}");

            second.Kill();
            await second.WaitForExitAsync();
            Assert.Contains("farm-node node-7: 1 tower(s), 2 drive(s)", await output, StringComparison.Ordinal);
            foreach (var (attempt, lastPersisted) in cut)
            {
                Assert.Contains($"Drive {attempt.DriveId}: job {attempt.JobId} copy {attempt.Copy} was interrupted while Writing at LBA {lastPersisted} of 16384", await output + await error, StringComparison.Ordinal);
            }
        }

        await farm.StopAsync();

        var job = controller.State.Jobs[jobId];
        Assert.Equal((JobStatus.Completed, 3), (job.Status, job.Verified));
        var entries = await journal.ReadAllAsync(0, int.MaxValue, CancellationToken.None);
        var interrupted = entries.Select(e => e.Event).OfType<DiscInterrupted>().ToList();
        Assert.True(interrupted.Count >= cut.Count); // a disc in another phase (loading, closing) at the kill is interrupted too
        foreach (var (attempt, lastPersisted) in cut)
        {
            var reported = Assert.Single(interrupted, i => (i.JobId, i.Copy, i.Attempt, i.DriveId) == attempt);
            Assert.Equal(("Writing", lastPersisted, 16384L), (reported.Phase, reported.LastPersistedLba, reported.TotalBlocks));
            Assert.Single(entries.Select(e => e.Event).OfType<DiscUnloaded>(), u => (u.JobId, u.Copy, u.Attempt) == (attempt.JobId, attempt.Copy, attempt.Attempt) && u.Bin == Bins.Reject);
        }

        CrashRecoveryTests.AssertExactlyOnce(entries, copies: 3);
    }
}
