using System.Diagnostics;
using System.Globalization;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Views;
using Xunit.Abstractions;

namespace Farm.MultiHost.Tests;

/// <summary>
/// A farm of one controller (the only seed) and three nodes, as real processes on PostgreSQL: the
/// controller is killed with SIGKILL mid-job and started again in place. Its nodes burn on (they
/// outvote the dead controller rather than down themselves) and invite it back into their cluster
/// (ControllerPresenceWatch, ControllerJoin), so no burn is cut and no node restarts.
/// </summary>
[Collection(PrivatePostgresTests.Name)]
public sealed class LoneControllerTests(PrivatePostgres postgres, ITestOutputHelper output)
{
    private const int Copies = 12;

    [Fact]
    public async Task A_lone_controller_killed_and_started_again_mid_job_rejoins_its_nodes_and_no_burn_is_cut()
    {
        await using var farm = await FarmScenario.StartAsync(postgres, controllers: 1);
        var jobId = await farm.SubmitAsync(Copies);
        await farm.WaitForJobAsync(jobId, j => j.Verified >= 1 && j.CopyStates.Values.Any(c => c is { Status: CopyStatus.Assigned, Phase: "Writing" or "Closing" }), "to have a copy verified and one burning");
        var nodeProcesses = farm.Nodes.ToDictionary(n => n.Key, n => n.Value);

        farm.Controllers[0].Kill();
        var sinceKill = Stopwatch.StartNew();
        var restarted = await farm.StartControllerAsync(0);
        await restarted.WaitForOutputAsync("invited this controller", FarmScenario.Patience);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lone controller: invited back into its nodes' cluster {sinceKill.Elapsed.TotalSeconds:F1} s after the SIGKILL"));

        await farm.WaitForJobAsync(jobId, j => j.Status == JobStatus.Completed, "to complete after the controller's restart");
        await farm.AssertInvariantAsync(jobId, Copies);

        var journal = await farm.Audit.ControllerAsync();
        Assert.DoesNotContain(journal, e => e.Event is NodeLost);
        Assert.DoesNotContain(journal, e => e.Event is DiscInterrupted);
        Assert.DoesNotContain(journal, e => e.Event is CopyFailed);
        Assert.All(nodeProcesses, n =>
        {
            Assert.Same(n.Value, farm.Nodes[n.Key]);
            Assert.False(n.Value.HasExited, $"node {n.Key} exited: {n.Value.Output}");
        });
    }
}
