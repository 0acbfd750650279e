using Xunit.Abstractions;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// The operator console in a real browser (Debian's chromium, driven by Playwright) against a
/// running embedded farm, at the address the farm serves it, as its loopback operator (no --auth:
/// admin): what an operator sees, updated live by GET /api/events, and what the buttons do.
/// </summary>
public sealed class ConsolePageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private ConsoleFarm? _farm;
    private ConsoleBrowser? _browser;

    private ConsoleFarm Farm => _farm!;

    public async Task InitializeAsync()
    {
        // 1x writes at a time scale of 10: a 64 MiB disc takes about 5 s to write, long enough to
        // watch its progress arrive in several steps.
        _farm = await ConsoleFarm.StartAsync(o => o with { Drives = 2, TimeScale = 10, WriteSpeedX = 1, InputBlanks = 20 });
        _browser = await ConsoleBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        if (_farm is not null)
        {
            await _farm.DisposeAsync();
        }
    }

    private async Task<ConsoleTab> OpenAsync()
    {
        var tab = await _browser!.OpenAsync(Farm.Url);
        await tab.WaitLiveAsync();
        await tab.WaitAsync("() => document.querySelectorAll('.tile').length === 2");
        return tab;
    }

    private static string Tile(string drive) => $".tile[data-drive='{drive}']";

    [Fact]
    public async Task A_running_jobs_progress_rises_on_its_drives_tile_without_a_reload()
    {
        var tab = await OpenAsync();
        await tab.Page.EvaluateAsync("() => { window.notReloaded = true; }");
        var image = await Farm.ImageAsync("live.iso", 32 * 1024);

        var jobId = await Farm.SubmitAsync(new { image, copies = 1, media = "DVD+R", verify = "None" });

        // A tile shows the job with an LBA; then a larger one, on the same page.
        await tab.WaitAsync(
            "id => [...document.querySelectorAll('.tile')].some(t => t.querySelector('.job').title === 'job ' + id && /LBA [1-9]/.test(t.querySelector('.lba').textContent))",
            jobId);
        var first = await LbaOfJobAsync(tab, jobId);
        await tab.WaitAsync(
            "([id, lba]) => [...document.querySelectorAll('.tile')].some(t => t.querySelector('.job').title === 'job ' + id && Number(/LBA (\\d+)/.exec(t.querySelector('.lba').textContent)?.[1]) > lba)",
            new object[] { jobId, first });
        var later = await LbaOfJobAsync(tab, jobId);
        Assert.True(later > first, $"the LBA went from {first} to {later}");
        Assert.True(await tab.Page.EvaluateAsync<bool>("() => window.notReloaded === true"), "the page was reloaded");
        await tab.WaitAsync("() => [...document.querySelectorAll('.tile canvas.curve')].some(c => Number(c.dataset.points) >= 2)");
        var percent = await tab.Page.EvaluateAsync<string>(
            "id => [...document.querySelectorAll('.tile')].find(t => t.querySelector('.job').title === 'job ' + id)?.querySelector('.percent').textContent", jobId);
        Assert.Matches(@"^\d+\.\d %$", percent);
        await tab.ScreenshotAsync("console-live-progress", output);
    }

    private static async Task<long> LbaOfJobAsync(ConsoleTab tab, string jobId) =>
        await tab.Page.EvaluateAsync<long>(
            "id => Number(/LBA (\\d+)/.exec([...document.querySelectorAll('.tile')].find(t => t.querySelector('.job').title === 'job ' + id).querySelector('.lba').textContent)[1])",
            jobId);

    [Fact]
    public async Task Pausing_a_drive_from_its_tile_shows_the_tile_paused()
    {
        var tab = await OpenAsync();
        await tab.WaitAsync($"() => document.querySelector(\"{Tile("T1-D1")}\").classList.contains('state-idle')");

        await tab.Page.ClickAsync($"{Tile("T1-D1")} button[data-action='drive-pause']");

        await tab.WaitAsync($"() => document.querySelector(\"{Tile("T1-D1")}\").classList.contains('state-paused')");
        Assert.Equal("paused", await tab.Page.TextContentAsync($"{Tile("T1-D1")} .state"));
        Assert.True(await tab.Page.IsVisibleAsync($"{Tile("T1-D1")} button[data-action='drive-resume']"));
        Assert.False(await tab.Page.IsVisibleAsync($"{Tile("T1-D1")} button[data-action='drive-pause']"));
        Assert.Contains("state-idle", await tab.Page.GetAttributeAsync(Tile("T1-D2"), "class") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Holding_a_job_from_the_jobs_table_shows_it_held()
    {
        var tab = await OpenAsync();
        var image = await Farm.ImageAsync("held.iso", 32 * 1024);
        var jobId = await Farm.SubmitAsync(new { image, copies = 6, media = "DVD+R", verify = "None" });
        var row = $"#jobs tr[data-job='{jobId}']";
        await tab.Page.WaitForSelectorAsync($"{row} button[data-action='job-hold']", new() { State = Microsoft.Playwright.WaitForSelectorState.Visible, Timeout = 60_000 });

        await tab.Page.ClickAsync($"{row} button[data-action='job-hold']");

        await tab.WaitAsync($"() => document.querySelector(\"{row}\").classList.contains('status-held')");
        Assert.StartsWith("Held", await tab.Page.TextContentAsync($"{row} .status"), StringComparison.OrdinalIgnoreCase);
        Assert.True(await tab.Page.IsVisibleAsync($"{row} button[data-action='job-resume']"));
    }

    [Fact]
    public async Task A_hostile_job_label_is_shown_as_its_characters_and_runs_nothing()
    {
        var tab = await OpenAsync();
        var image = await Farm.ImageAsync("hostile.iso", 256);

        var jobId = await Farm.SubmitAsync(new { image, copies = 1, media = "DVD+R", verify = "None", label = Hostile });

        var row = $"#jobs tr[data-job='{jobId}']";
        await tab.WaitAsync($"() => document.querySelector(\"{row} .label\")?.textContent.length > 0");
        Assert.Equal(Hostile, await tab.Page.TextContentAsync($"{row} .label"));
        await tab.Page.ClickAsync($"{row} a.job-link");
        await tab.WaitAsync("() => document.querySelector('#job-detail .job-title') !== null");
        Assert.Equal(Hostile, await tab.Page.TextContentAsync("#job-detail .job-title"));
        Assert.Equal(0, await tab.Page.Locator("img").CountAsync());
        Assert.Equal(0, tab.DialogCount);
        await tab.ScreenshotAsync("console-hostile-label", output);
    }

    [Fact]
    public async Task The_job_page_lists_every_disc_with_its_speed_curve()
    {
        var tab = await OpenAsync();
        var image = await Farm.ImageAsync("detail.iso", 16 * 1024);
        var jobId = await Farm.SubmitAsync(new { image, copies = 2, media = "DVD+R", verify = "Full", label = "release 1.0" });

        await tab.Page.EvaluateAsync("id => { location.hash = '#/jobs/' + encodeURIComponent(id); }", jobId);

        await tab.WaitAsync(
            "() => { const rows = [...document.querySelectorAll('#job-detail tr.disc')]; return rows.length === 2 && rows.every(r => r.classList.contains('outcome-verified')); }",
            null,
            120_000);
        var copies = await tab.Page.Locator("#job-detail tr.disc").EvaluateAllAsync<int[]>("rows => rows.map(r => Number(r.dataset.copy))");
        Assert.Equal([1, 2], copies.Order());
        var points = await tab.Page.Locator("#job-detail tr.disc canvas.curve").EvaluateAllAsync<int[]>("cs => cs.map(c => Number(c.dataset.points))");
        Assert.All(points, p => Assert.True(p >= 2, $"a disc's curve has {p} points"));
        Assert.Equal("release 1.0", await tab.Page.TextContentAsync("#job-detail .job-title"));
        await tab.ScreenshotAsync("console-job-page", output, fullPage: true);
    }
}
