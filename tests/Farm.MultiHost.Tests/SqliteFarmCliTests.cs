using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>The same commands on one host with a SQLite store: serve, a simulated node, submit --wait, jobs.</summary>
public sealed class SqliteFarmCliTests
{
    [Fact]
    public async Task Serve_a_simulated_node_and_submit_wait_burn_a_job_through_a_SQLite_store()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var store = $"sqlite:{folder.PathOf("farm.db")}";
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[2 * 1024 * 1024]);
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", store);
        using var node = FarmProcess.Start("node", Processes.FarmNodeDll, "--store", store, "--simulate", "2", "--time-scale", "50", "--node-id", "solo", "--data", folder.PathOf("solo"));

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "3", "--store", store, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\nserve: {serve.Output}\nnode: {node.Output}");
        Assert.Matches(@"job \S+: 3/3 copies verified, 0 rejected", submit.Output);
        using var jobs = FarmProcess.Start("jobs", Processes.FarmDll, "jobs", "--store", store);
        await jobs.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Matches(@"Completed\s+3/3", jobs.Output);
    }

    [Fact]
    public async Task Submitting_a_folder_is_refused_with_a_clear_message()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", folder.FullPath, "--store", $"sqlite:{folder.PathOf("farm.db")}");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, submit.ExitCode);
        Assert.Contains("mastering a folder", submit.Output, StringComparison.Ordinal);
    }
}
