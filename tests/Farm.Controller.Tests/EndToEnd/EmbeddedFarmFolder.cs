using System.Net;
using System.Net.Http.Json;
using Farm.Controller.Demo;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// The set-up the embedded farm's end-to-end tests share: a temporary folder whose <c>farm</c>
/// sub-folder holds the farm's journals and simulated media, a farm started on it at a time scale
/// where a burn takes milliseconds, and a POST to its API that rides out the controller starting.
/// </summary>
internal sealed class EmbeddedFarmFolder(string prefix) : IDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempDirectory _folder = new(prefix);

    /// <summary>Where the farm keeps farm.db, node.db and its media.</summary>
    public string DataDirectory => _folder.PathOf("farm");

    /// <summary>A path in the test's folder, beside the farm's data.</summary>
    public string PathOf(string name) => _folder.PathOf(name);

    public EmbeddedFarmOptions Options(int drives, string media = "DVD+R", int blanks = 20) => new()
    {
        DataDirectory = DataDirectory,
        Drives = drives,
        TimeScale = 2000,
        InputBlanks = blanks,
        MediaType = media,
    };

    public Task<EmbeddedFarm> StartAsync(int drives, string media = "DVD+R", int blanks = 20) => StartAsync(Options(drives, media, blanks));

    public static Task<EmbeddedFarm> StartAsync(EmbeddedFarmOptions options) =>
        EmbeddedFarm.StartAsync(options, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

    /// <summary>
    /// POST /api/jobs with one idempotency key, again while the controller answers 503 (a loaded
    /// machine starts the controller singleton after the HTTP host; the CLI retries the same way).
    /// </summary>
    public static async Task<HttpResponseMessage> PostJobAsync(EmbeddedFarm farm, object body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(farm.Url) };
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
        }
    }

    /// <summary>GET <paramref name="path"/> from the farm's API, as text.</summary>
    public static async Task<string> GetAsync(EmbeddedFarm farm, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(farm.Url) };
        using var response = await http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return text;
    }

    public void Dispose() => _folder.Dispose();
}
