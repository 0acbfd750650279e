using Farm.Controller.Demo;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// The operator console in a real browser (Debian's chromium, driven by Playwright) against a
/// running embedded farm, at the address the farm serves it: what an operator sees, updated live
/// over server-sent events.
/// </summary>
public sealed class ConsolePageTests : IAsyncLifetime, IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly TempDirectory folder = new("farm-console");
    private EmbeddedFarm? farm;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: the console tests need Debian's chromium (./test.sh installs it as root: apt-get install chromium)");
        }

        farm = await EmbeddedFarm.StartAsync(
            new EmbeddedFarmOptions { DataDirectory = folder.FullPath, Drives = 2, TimeScale = 2000, InputBlanks = 10 },
            TimeProvider.System,
            NullLoggerFactory.Instance,
            CancellationToken.None);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArguments });
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (farm is not null)
        {
            await farm.DisposeAsync();
        }
    }

    public void Dispose() => folder.Dispose();

    private async Task<IPage> OpenConsoleAsync()
    {
        var page = await browser!.NewPageAsync();
        await page.GotoAsync(farm!.Url);
        await page.WaitForFunctionAsync("() => document.getElementById('connection').textContent === 'live'");
        return page;
    }

    [Fact]
    public async Task The_console_lists_every_drive_of_the_tower_with_its_state()
    {
        var page = await OpenConsoleAsync();

        await page.WaitForFunctionAsync(
            "() => { const rows = [...document.querySelectorAll('#drives tbody tr')]; return rows.length === 2 && rows.every(r => r.innerText.includes('Idle')); }",
            null,
            new() { Timeout = 60_000 });
        var rows = await page.Locator("#drives tbody tr").AllInnerTextsAsync();
        Assert.Equal(["T1-D1", "T1-D2"], (await page.Locator("#drives tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)")).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Contains("T1", r, StringComparison.Ordinal));
        Assert.Contains("10 DVD+R", await page.Locator("#towers tbody tr").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_follows_a_job_to_completion_without_a_reload()
    {
        var page = await OpenConsoleAsync();
        var image = folder.PathOf("image.iso");
        await File.WriteAllBytesAsync(image, new byte[2048 * 256]);

        var jobId = await farm!.SubmitAsync(new JobRequest(image, 256, 2, VerifyMode.Full, "DVD+R"), TimeProvider.System, CancellationToken.None);

        var row = page.Locator($"#jobs tbody tr[data-id='{jobId}']");
        await row.WaitForAsync(new() { Timeout = 60_000 });
        await page.WaitForFunctionAsync(
            "id => { const r = document.querySelector(`#jobs tbody tr[data-id='${id}']`); return r && r.innerText.includes('Completed'); }",
            jobId,
            new() { Timeout = 60_000 });
        Assert.Contains("2/2", await row.InnerTextAsync(), StringComparison.Ordinal);
        await page.WaitForFunctionAsync(
            "() => document.querySelector('#towers tbody tr')?.innerText.includes('8 DVD+R')",
            null,
            new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "burnfarm-console.png"), FullPage = true });
    }
}
