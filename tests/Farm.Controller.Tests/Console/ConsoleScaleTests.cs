using System.Text.Json;
using Xunit.Abstractions;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// 200 drives on one page (an embedded farm of four simulated towers of 50), some of them burning:
/// every tile is there, and the page does the work that keeps it smooth, read in the page itself:
/// at most one flush of DOM updates per animation frame however many events arrive, and tiles
/// updated in place (the same 200 elements, none added, removed or moved while drives report).
/// How long those flushes take depends on the machine and on what else it runs, so the timings are
/// printed here and recorded by the benchmark (benchmarks/console.sh), never asserted.
/// </summary>
public sealed class ConsoleScaleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ObserveLongTasks = """
        window.consoleBudget = { longTasks: [] };
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) window.consoleBudget.longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
        """;

    // Marks every tile element and watches the tiles' containers: a re-render would replace the
    // marked elements or add, remove or move children of a tower's grid.
    private const string WatchTiles = """
        () => {
          window.consoleTiles = { marked: 0, structural: 0 };
          for (const tile of document.querySelectorAll('.tile')) { tile.consoleMark = true; window.consoleTiles.marked++; }
          const observer = new MutationObserver(records => { for (const r of records) window.consoleTiles.structural += r.addedNodes.length + r.removedNodes.length; });
          for (const grid of document.querySelectorAll('.tower .tiles')) observer.observe(grid, { childList: true });
          return window.consoleTiles.marked;
        }
        """;

    // Frames, flushes (with how many tiles each drew) and long tasks over 4 s of the page's own time.
    private const string Measure = """
        async () => {
          const start = performance.now();
          const frames = [];
          let last = start;
          await new Promise(resolve => {
            const tick = now => { frames.push(now - last); last = now; if (now - start < 4000) requestAnimationFrame(tick); else resolve(); };
            requestAnimationFrame(tick);
          });
          const flushEntries = performance.getEntriesByName('console-flush').filter(e => e.startTime >= start);
          const flushes = flushEntries.map(e => e.duration);
          const drawn = flushEntries.map(e => Number(e.detail) || 0);
          const events = performance.getEntriesByName('console-events').filter(e => e.startTime >= start).map(e => e.duration);
          const longTasks = window.consoleBudget.longTasks.filter(t => t.start >= start).map(t => t.duration);
          const tiles = [...document.querySelectorAll('.tile')];
          return JSON.stringify({
            frames, flushes, drawn, events, longTasks,
            busy: document.querySelectorAll('.tile.state-busy').length,
            stillMarked: tiles.filter(t => t.consoleMark === true).length,
            structural: window.consoleTiles.structural,
          });
        }
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private ConsoleFarm? _farm;
    private ConsoleBrowser? _browser;

    public async Task InitializeAsync()
    {
        _farm = await ConsoleFarm.StartAsync(o => o with { Towers = 4, Drives = 50, TimeScale = 10, WriteSpeedX = 1, InputBlanks = 300 });
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

    private sealed record Measured(double[] Frames, double[] Flushes, int[] Drawn, double[] Events, double[] LongTasks, int Busy, int StillMarked, int Structural);

    [Fact]
    public async Task Two_hundred_drives_render_as_tiles_and_live_updates_are_drawn_in_place_once_per_frame()
    {
        var tab = await _browser!.OpenAsync(_farm!.Url, 1600, 1000, ObserveLongTasks);
        await tab.WaitLiveAsync();
        await tab.WaitAsync("() => document.querySelectorAll('.tile').length === 200", null, 180_000);
        var firstRender = await tab.Page.EvaluateAsync<double>("() => Math.max(...performance.getEntriesByName('console-flush').map(e => e.duration))");
        Assert.Equal(200, await tab.Page.EvaluateAsync<int>(WatchTiles));
        var image = await _farm.ImageAsync("scale.iso", 16 * 1024);
        await _farm.SubmitAsync(new { image, copies = 200, media = "DVD+R", verify = "None" });
        await tab.WaitAsync("() => document.querySelectorAll('.tile.state-busy').length >= 8", null, 180_000);

        var measured = JsonSerializer.Deserialize<Measured>(await tab.Page.EvaluateAsync<string>(Measure), Web)!;

        var flushes = measured.Flushes.Order().ToArray();
        var p95 = flushes.Length == 0 ? 0 : flushes[(int)Math.Ceiling(0.95 * flushes.Length) - 1];
        var frames = measured.Frames.Order().ToArray();
        output.WriteLine($"console-200: first render {firstRender:F1} ms; {flushes.Length} flushes in {frames.Length} frames over 4 s drawing {measured.Drawn.Sum()} items, " +
            $"flush p95 {p95:F2} ms, max {flushes.LastOrDefault():F2} ms; events read in chunks of at most {measured.Events.DefaultIfEmpty().Max():F1} ms; " +
            $"frame median {frames[frames.Length / 2]:F1} ms, max {frames[^1]:F1} ms; long tasks [{string.Join(", ", measured.LongTasks.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}] ms; {measured.Busy} drives busy");
        Assert.Equal(200, await tab.Page.Locator(".tile").CountAsync());
        Assert.Equal(4, await tab.Page.Locator(".tower").CountAsync());
        Assert.True(measured.Busy >= 1, "no drive was busy while the page was measured");
        Assert.True(flushes.Length > 0, "no drive event reached the page while 200 drives were working");
        Assert.True(flushes.Length <= frames.Length + 1, $"{flushes.Length} flushes in {frames.Length} frames: the page drew more than once per frame");
        Assert.Equal(200, measured.StillMarked);
        Assert.Equal(0, measured.Structural);
        await tab.ScreenshotAsync("console-200-drives", output, fullPage: true);
    }
}
