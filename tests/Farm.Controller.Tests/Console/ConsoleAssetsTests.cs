using System.Net;
using System.Text.RegularExpressions;
using Farm.Controller.OperatorConsole;
using Farm.Messages.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// The console's files as the controller serves them: everything the page loads comes from the
/// controller itself (the farm may be offline), under a policy that runs only its own scripts.
/// </summary>
public sealed partial class ConsoleAssetsTests : IAsyncLifetime, IDisposable
{
    private WebApplication? _app;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapOperatorConsole(() => FarmState.Empty);
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [GeneratedRegex("""(?:src|href)="(/console/[^"]+)"|from '\./([^']+)'""")]
    private static partial Regex References();

    /// <summary>The page and every file it references (scripts import each other), transitively.</summary>
    private async Task<Dictionary<string, HttpResponseMessage>> FetchAllAsync()
    {
        var fetched = new Dictionary<string, HttpResponseMessage>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        while (queue.TryDequeue(out var path))
        {
            if (fetched.ContainsKey(path))
            {
                continue;
            }

            var response = await Http.GetAsync(path);
            fetched[path] = response;
            var text = await response.Content.ReadAsStringAsync();
            foreach (Match reference in References().Matches(text))
            {
                queue.Enqueue(reference.Groups[1].Success ? reference.Groups[1].Value : "/console/" + reference.Groups[2].Value);
            }
        }

        return fetched;
    }

    [Fact]
    public async Task The_page_and_every_file_it_loads_are_served_by_the_controller_with_their_types()
    {
        var all = await FetchAllAsync();

        Assert.Contains("/console/main.js", all.Keys);
        Assert.Contains("/console/events.js", all.Keys);
        Assert.Contains("/console/console.css", all.Keys);
        foreach (var (path, response) in all)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
            var expected = path == "/" ? "text/html" : path.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css";
            Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }

    [Fact]
    public async Task Nothing_the_page_loads_comes_from_another_site_or_parses_strings_as_markup()
    {
        foreach (var (path, response) in await FetchAllAsync())
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotMatch(@"https?://|//cdn|<script>[^<]", text);
            Assert.DoesNotMatch(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", text);
            Assert.True(path == "/" || !text.Contains("<style", StringComparison.Ordinal), $"{path} holds inline style");
        }
    }

    [Fact]
    public async Task The_page_allows_only_its_own_scripts()
    {
        using var response = await Http.GetAsync("/");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_console_file_is_a_404_naming_it()
    {
        using var response = await Http.GetAsync("/console/nothing.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nothing.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
