using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// Debian's chromium driven by Playwright (headless, never "playwright install"), one per test
/// class. Pages count the dialogs they raise (a script injected through a label would raise one),
/// and screenshots go to the test output folder, their paths printed.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ConsoleBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Where the tests' screenshots go: beside the test assembly.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<ConsoleBrowser> LaunchAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: the console tests need Debian's chromium (./test.sh installs it as root: apt-get install chromium)");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ChromiumArguments });
        return new ConsoleBrowser(playwright, browser);
    }

    /// <summary>A new tab (its own session storage) on the console at <paramref name="url"/>; dialogs are counted and dismissed.</summary>
    /// <param name="initScript">Runs in the page before its own scripts (e.g. to observe long tasks from the start).</param>
    public async Task<ConsoleTab> OpenAsync(string url, int width = 1400, int height = 900, string? initScript = null)
    {
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        if (initScript is not null)
        {
            await context.AddInitScriptAsync(initScript);
        }

        var page = await context.NewPageAsync();
        var tab = new ConsoleTab(page);
        page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref tab.DialogCount);
            _ = dialog.DismissAsync();
        };
        await page.GotoAsync(url);
        return tab;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>One console tab and what it raised.</summary>
internal sealed class ConsoleTab(IPage page)
{
    public int DialogCount;

    public IPage Page { get; } = page;

    /// <summary>Waits until the event stream is connected (the header says "live").</summary>
    public Task WaitLiveAsync() =>
        Page.WaitForFunctionAsync("() => document.getElementById('connection').textContent === 'live'", null, new() { Timeout = 60_000 });

    public Task WaitAsync(string condition, object? argument = null, float timeout = 60_000) =>
        Page.WaitForFunctionAsync(condition, argument, new() { Timeout = timeout, PollingInterval = 100 });

    public async Task<string> ScreenshotAsync(string name, ITestOutputHelper output, bool fullPage = false)
    {
        Directory.CreateDirectory(ConsoleBrowser.ScreenshotFolder);
        var path = Path.Combine(ConsoleBrowser.ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
        output.WriteLine($"screenshot: {path}");
        return path;
    }
}
