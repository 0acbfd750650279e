using System.Security.Cryptography;
using System.Text;
using Farm.MultiHost.Tests;
using Farm.Testing;
using Xunit.Abstractions;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// `farm demo --auth FILE` (a real process, as an operator starts it) seen through the console by
/// people of different roles: the token is asked for, kept in the tab's session storage and never
/// put in a URL; a viewer gets no buttons and the server refuses a viewer's forced request.
/// </summary>
public sealed class ConsoleRoleTests(ConsoleRoleTests.DemoWithAuth demo, ITestOutputHelper output) : IClassFixture<ConsoleRoleTests.DemoWithAuth>, IAsyncLifetime
{
    public const string ViewerToken = "viewer-7f3a9c2e51";
    public const string OperatorToken = "operator-0b8d4e6f27";
    private ConsoleBrowser? _browser;

    public async Task InitializeAsync() => _browser = await ConsoleBrowser.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
    }

    private async Task<ConsoleTab> SignInAsync(string token)
    {
        var tab = await _browser!.OpenAsync(demo.Url);
        await tab.Page.WaitForSelectorAsync("#login", new() { State = Microsoft.Playwright.WaitForSelectorState.Visible, Timeout = 60_000 });
        await tab.Page.FillAsync("#token", token);
        await tab.Page.ClickAsync("#login button[type='submit']");
        await tab.WaitLiveAsync();
        await tab.WaitAsync("() => document.querySelectorAll('.tile').length === 2 && document.querySelectorAll('#jobs tbody tr').length >= 1");
        return tab;
    }

    [Fact]
    public async Task Without_a_token_the_console_asks_for_one_and_keeps_it_out_of_the_url()
    {
        var tab = await _browser!.OpenAsync(demo.Url);

        await tab.Page.WaitForSelectorAsync("#login", new() { State = Microsoft.Playwright.WaitForSelectorState.Visible, Timeout = 60_000 });
        Assert.False(await tab.Page.IsVisibleAsync("#farm-view"));
        await tab.Page.FillAsync("#token", ViewerToken);
        await tab.Page.ClickAsync("#login button[type='submit']");
        await tab.WaitLiveAsync();
        Assert.False(await tab.Page.IsVisibleAsync("#login"));
        Assert.Equal(ViewerToken, await tab.Page.EvaluateAsync<string>("() => sessionStorage.getItem('burnfarm.token')"));
        Assert.DoesNotContain(ViewerToken, tab.Page.Url, StringComparison.Ordinal);
        Assert.Equal("viewer (viewer)", await tab.Page.TextContentAsync("#who"));
    }

    [Fact]
    public async Task A_refused_token_shows_the_login_field_again()
    {
        var tab = await _browser!.OpenAsync(demo.Url);
        await tab.Page.WaitForSelectorAsync("#login", new() { State = Microsoft.Playwright.WaitForSelectorState.Visible, Timeout = 60_000 });

        await tab.Page.FillAsync("#token", "not-a-token");
        await tab.Page.ClickAsync("#login button[type='submit']");

        await tab.WaitAsync("() => !document.getElementById('login').hidden && document.getElementById('login-why').textContent.includes('refused')");
        Assert.False(await tab.Page.IsVisibleAsync("#farm-view"));
    }

    [Fact]
    public async Task A_viewer_gets_no_action_buttons_and_a_forced_action_is_refused_403()
    {
        var tab = await SignInAsync(ViewerToken);

        Assert.Equal(0, await tab.Page.Locator("button.act").CountAsync());
        Assert.Equal(0, await tab.Page.Locator("input.refill-count").CountAsync());
        var status = await tab.Page.EvaluateAsync<int>(
            "async () => (await fetch('/api/drives/T1-D1/pause', { method: 'POST', headers: { Authorization: 'Bearer ' + sessionStorage.getItem('burnfarm.token') } })).status");
        Assert.Equal(403, status);
        await tab.ScreenshotAsync("console-viewer", output);
    }

    [Fact]
    public async Task An_operator_gets_the_action_buttons()
    {
        var tab = await SignInAsync(OperatorToken);

        Assert.True(await tab.Page.Locator(".tile[data-drive='T1-D1'] button[data-action='drive-maintenance']").IsVisibleAsync());
        Assert.Equal("operator (operator)", await tab.Page.TextContentAsync("#who"));
    }

    /// <summary>One `farm demo --auth FILE` for the class: a viewer token given in clear, an operator's as its SHA-256.</summary>
    public sealed class DemoWithAuth : IAsyncLifetime, IDisposable
    {
        private readonly TempDirectory _folder = new("farm-console-auth");
        private FarmProcess? _process;

        public string Url { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(OperatorToken)));
            var auth = _folder.PathOf("auth.json");
            await File.WriteAllTextAsync(auth, $$"""
                {"tokens": [
                  {"name": "viewer", "role": "viewer", "token": "{{ViewerToken}}"},
                  {"name": "operator", "role": "operator", "sha256": "{{sha}}"}
                ]}
                """);
            var port = Processes.FreePort();
            Url = $"http://127.0.0.1:{port}";
            _process = FarmProcess.Start("demo", Processes.FarmDll, "demo", "--auth", auth, "--data", _folder.PathOf("data"), "--drives", "2", "--copies", "4", "--time-scale", "10", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await _process.WaitForOutputAsync("console: ", TimeSpan.FromMinutes(2));
        }

        public Task DisposeAsync()
        {
            Dispose();
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _process?.Dispose();
            _folder.Dispose();
        }
    }
}
