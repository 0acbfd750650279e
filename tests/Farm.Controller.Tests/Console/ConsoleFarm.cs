using System.Net.Http.Json;
using System.Text.Json;
using Farm.Controller.Demo;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Console;

/// <summary>
/// An embedded farm for the console's browser tests and a client of its API (jobs are submitted
/// over HTTP, as an operator's script would).
/// </summary>
internal sealed class ConsoleFarm : IAsyncDisposable
{
    private readonly TempDirectory _folder;

    private ConsoleFarm(TempDirectory folder, EmbeddedFarm farm, HttpClient http)
    {
        _folder = folder;
        Farm = farm;
        Http = http;
    }

    public EmbeddedFarm Farm { get; }

    public HttpClient Http { get; }

    public string Url => Farm.Url;

    public string PathOf(string name) => _folder.PathOf(name);

    public static async Task<ConsoleFarm> StartAsync(Func<EmbeddedFarmOptions, EmbeddedFarmOptions> configure)
    {
        var folder = new TempDirectory("farm-console");
        try
        {
            var options = configure(new EmbeddedFarmOptions { DataDirectory = folder.FullPath });
            var farm = await EmbeddedFarm.StartAsync(options, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
            return new ConsoleFarm(folder, farm, new HttpClient { BaseAddress = new Uri(farm.Url), Timeout = TimeSpan.FromSeconds(60) });
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>An image of <paramref name="blocks"/> 2048-byte blocks in the farm's folder.</summary>
    public async Task<string> ImageAsync(string name, int blocks)
    {
        var path = _folder.PathOf(name);
        await File.WriteAllBytesAsync(path, new byte[2048L * blocks]);
        return path;
    }

    /// <summary>Submits a job through POST /api/jobs and returns its id.</summary>
    public async Task<string> SubmitAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("/api/jobs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/jobs answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Farm.DisposeAsync();
        _folder.Dispose();
    }
}
