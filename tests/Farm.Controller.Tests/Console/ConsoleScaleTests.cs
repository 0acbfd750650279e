using System.Text.Json;
using Xunit.Abstractions;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// 200 drives on one page (an embedded farm of four simulated towers of 50), some of them burning:
/// every tile is there, and the page keeps up, measured in the page itself (its per-frame flushes
/// and the browser's long-task entries while the events flow), not by the test's clock.
/// </summary>
public sealed class ConsoleScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>One frame at 60 Hz: a flush of the changed tiles must fit in it.</summary>
    private const double FlushBudgetMs = 16;

    /// <summary>No task of the page may freeze it for longer (a stutter an operator would see).</summary>
    private const double LongTaskBudgetMs = 200;

    /// <summary>The page's first flush builds all 200 tiles at once.</summary>
    private const double FirstRenderBudgetMs = 500;

    private const string ObserveLongTasks = """
        window.consoleBudget = { longTasks: [] };
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) window.consoleBudget.longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
        """;

    // Frames, flushes and long tasks over 4 s of the page's own time (requestAnimationFrame).
    private const string Measure = """
        async () => {
          const start = performance.now();
          const frames = [];
          let last = start;
          await new Promise(resolve => {
            const tick = now => { frames.push(now - last); last = now; if (now - start < 4000) requestAnimationFrame(tick); else resolve(); };
            requestAnimationFrame(tick);
          });
          const flushes = performance.getEntriesByName('console-flush').filter(e => e.startTime >= start).map(e => e.duration);
          const events = performance.getEntriesByName('console-events').filter(e => e.startTime >= start).map(e => e.duration);
          const longTasks = window.consoleBudget.longTasks.filter(t => t.start >= start).map(t => t.duration);
          return JSON.stringify({ frames, flushes, events, longTasks, busy: document.querySelectorAll('.tile.state-busy').length });
        }
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private ConsoleFarm? farm;
    private ConsoleBrowser? browser;

    public async Task InitializeAsync()
    {
        farm = await ConsoleFarm.StartAsync(o => o with { Towers = 4, Drives = 50, TimeScale = 10, WriteSpeedX = 1, InputBlanks = 300 });
        browser = await ConsoleBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        if (farm is not null)
        {
            await farm.DisposeAsync();
        }
    }

    private sealed record Measured(double[] Frames, double[] Flushes, double[] Events, double[] LongTasks, int Busy);

    [Fact]
    public async Task Two_hundred_drives_render_as_tiles_and_live_updates_stay_within_a_frame()
    {
        var tab = await browser!.OpenAsync(farm!.Url, 1600, 1000, ObserveLongTasks);
        await tab.WaitLiveAsync();
        await tab.WaitAsync("() => document.querySelectorAll('.tile').length === 200", null, 180_000);
        var firstRender = await tab.Page.EvaluateAsync<double>("() => Math.max(...performance.getEntriesByName('console-flush').map(e => e.duration))");
        var image = await farm.ImageAsync("scale.iso", 16 * 1024);
        await farm.SubmitAsync(new { image, copies = 200, media = "DVD+R", verify = "None" });
        await tab.WaitAsync("() => document.querySelectorAll('.tile.state-busy').length >= 8", null, 180_000);

        var measured = JsonSerializer.Deserialize<Measured>(await tab.Page.EvaluateAsync<string>(Measure), Web)!;

        Assert.Equal(200, await tab.Page.Locator(".tile").CountAsync());
        Assert.Equal(4, await tab.Page.Locator(".tower").CountAsync());
        var flushes = measured.Flushes.Order().ToArray();
        var p95 = flushes.Length == 0 ? 0 : flushes[(int)Math.Ceiling(0.95 * flushes.Length) - 1];
        var frames = measured.Frames.Order().ToArray();
        output.WriteLine($"first render {firstRender:F1} ms; {flushes.Length} flushes in 4 s, p95 {p95:F2} ms, max {flushes.LastOrDefault():F2} ms; " +
            $"events read in chunks of at most {measured.Events.DefaultIfEmpty().Max():F1} ms; {frames.Length} frames, median {frames[frames.Length / 2]:F1} ms, max {frames[^1]:F1} ms; long tasks [{string.Join(", ", measured.LongTasks.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}] ms; {measured.Busy} drives busy");
        Assert.True(flushes.Length > 0, "no drive event reached the page while 200 drives were working");
        Assert.True(measured.Busy >= 1, "no drive was busy while the page was measured");
        Assert.True(firstRender < FirstRenderBudgetMs, $"building the 200 tiles took {firstRender:F0} ms (budget {FirstRenderBudgetMs} ms)");
        Assert.True(p95 < FlushBudgetMs, $"the 95th percentile of a frame's DOM updates took {p95:F1} ms (budget {FlushBudgetMs} ms)");
        Assert.All(measured.Events, e => Assert.True(e < FlushBudgetMs, $"reading one chunk of events took {e:F1} ms (budget {FlushBudgetMs} ms)"));
        Assert.All(measured.LongTasks, t => Assert.True(t < LongTaskBudgetMs, $"a long task of {t:F0} ms froze the page (budget {LongTaskBudgetMs} ms)"));
        await tab.ScreenshotAsync("console-200-drives", output, fullPage: true);
    }
}
