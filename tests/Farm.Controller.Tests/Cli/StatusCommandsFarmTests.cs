using Farm.Controller.Api;
using Farm.Controller.Api.Auth;
using Farm.Controller.Demo;
using Farm.Controller.Tests.EndToEnd;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Cli;

/// <summary>The real <c>farm</c> program's status, drives, submit --wait and report commands against a served embedded farm started with --auth tokens.</summary>
public sealed class StatusCommandsFarmTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _folder = new("cli-farm");
    private EmbeddedFarm? _farm;

    private EmbeddedFarm Farm => _farm!;

    public async Task InitializeAsync() => _farm = await EmbeddedFarm.StartAsync(
        new EmbeddedFarmOptions
        {
            DataDirectory = _folder.PathOf("farm"),
            Drives = 2,
            TimeScale = 2000,
            InputBlanks = 20,
            Api = new FarmApiOptions { Auth = AuthTokens.Parse("""{"tokens":[{"name":"ops","role":"operator","token":"op-tok"},{"name":"v","role":"viewer","token":"view-tok"}]}""") },
        },
        TimeProvider.System,
        NullLoggerFactory.Instance,
        CancellationToken.None);

    public async Task DisposeAsync()
    {
        if (_farm is not null)
        {
            await _farm.DisposeAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Farm_drives_lists_every_drive_of_the_farm()
    {
        var run = await FarmCli.RunAsync(Limit, "drives", "--farm", Farm.Url, "--token", "view-tok");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(EmbeddedFarmOptions.DriveIdOf("T1", 1), run.Output, StringComparison.Ordinal);
        Assert.Contains(EmbeddedFarmOptions.DriveIdOf("T1", 2), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_follows_the_job_to_completion_and_status_once_and_report_show_it()
    {
        var image = _folder.PathOf("a.iso");
        await File.WriteAllBytesAsync(image, new byte[2048 * 512]);

        var submit = await FarmCli.RunAsync(Limit, "submit", image, "--copies", "2", "--farm", Farm.Url, "--token", "op-tok", "--wait");

        Assert.True(submit.ExitCode == 0, submit.Output + submit.Error);
        var jobId = submit.Output.Split(' ', ':')[1];
        Assert.Contains($"job {jobId}: 2/2 copies verified, 0 rejected", submit.Output, StringComparison.Ordinal);
        var status = await FarmCli.RunAsync(Limit, "status", "--once", "--farm", Farm.Url, "--token", "view-tok");
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("[####################] 100.0% 2/2", status.Output.Split('\n').Single(l => l.Contains(jobId, StringComparison.Ordinal)), StringComparison.Ordinal);
        var html = _folder.PathOf("report.html");
        var report = await FarmCli.RunAsync(Limit, "report", jobId, "--farm", Farm.Url, "--token", "view-tok", "-o", html);
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Contains("<svg", await File.ReadAllTextAsync(html), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_wrong_token_is_one_line_and_exit_2()
    {
        var run = await FarmCli.RunAsync(Limit, "status", "--once", "--farm", Farm.Url, "--token", "nope");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("farm status: the farm wants a valid API token (401", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_viewer_token_may_not_submit_one_line_and_exit_2()
    {
        var image = _folder.PathOf("b.iso");
        await File.WriteAllBytesAsync(image, new byte[2048]);

        var run = await FarmCli.RunAsync(Limit, "submit", image, "--farm", Farm.Url, "--token", "view-tok");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("farm submit: the token may not do this (403", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_farm_that_refuses_the_connection_is_one_line_and_exit_2()
    {
        var run = await FarmCli.RunAsync(Limit, "drives", "--farm", "http://127.0.0.1:9");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("farm drives: no controller of the farm answered", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }
}
