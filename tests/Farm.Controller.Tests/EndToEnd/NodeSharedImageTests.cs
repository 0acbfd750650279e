using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Farm.MultiHost.Tests;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// A real <c>farm-node --simulate 8</c> process in the cluster of a <c>farm serve</c>: one job of
/// eight copies of one image. The node's recorders read the image through the node's shared image
/// reads, and the node's own disk-read counter (bytes read from the image file, in its log when the
/// image's last drive is done) shows the image read from disk about once, not eight times; the
/// controller's <c>GET /api/nodes</c> serves the same figures, sent by the node.
/// </summary>
public sealed partial class NodeSharedImageTests : IDisposable
{
    private const int Drives = 8;

    private readonly TempDirectory _folder = new("node-shared-image");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Eight_drives_of_a_farm_node_burning_one_image_read_it_from_disk_about_once_as_its_log_and_the_api_show()
    {
        // 1x DVD+R at time scale 10 (13.9 MB/s): 48 MiB take 3.6 s to write, far longer than the
        // drives' start times spread with an arm that loads in no time, so their writes overlap.
        var image = _folder.PathOf("image.iso");
        var bytes = new byte[48 * 1024 * 1024];
        new Random(14).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);
        // farm serve alone, watched through its HTTP API only: no read journal in the test (lighter on a loaded machine).
        var seed = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}");
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Processes.FreePort()}");
        using var serve = FarmProcess.Start("farm serve", Processes.FarmDll, "serve", "--store", $"sqlite:{_folder.PathOf("farm.db")}", "--cluster", seed, "--seeds", seed, "--http", url);
        await serve.WaitForOutputAsync("cluster member", InTestController.Patience);
        using var node = FarmProcess.Start("farm-node", Processes.FarmNodeDll,
            "--cluster", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}"), "--seeds", seed,
            "--node-id", "n1", "--data", _folder.PathOf("n1"), "--simulate", Drives.ToString(CultureInfo.InvariantCulture),
            "--time-scale", "10", "--media", "DVD+R", "--write-speed", "1", "--load-seconds", "0", "--unload-seconds", "0", "--verbose");
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        var idle = 0;
        await Wait.UntilAsync(
            async () => (idle = await IdleDrivesAsync(http)) >= Drives,
            InTestController.Patience,
            () => $"{Drives} idle drives (now {idle}); farm-node said:\n{node.Output}\nfarm serve said:\n{serve.Output}");

        using var submit = FarmProcess.Start("farm submit", Processes.FarmDll, "submit", image, "--copies", Drives.ToString(CultureInfo.InvariantCulture), "--farm", url);
        await submit.WaitForExitAsync(InTestController.Patience);
        Assert.True(submit.ExitCode == 0, $"farm submit failed: {submit.Output}");
        var jobId = JobId().Match(submit.Output).Groups[1].Value;
        var (status, verified) = ("", 0);
        await Wait.UntilAsync(
            async () =>
            {
                (status, verified) = await JobAsync(http, jobId);
                return status == "Completed";
            },
            InTestController.Patience,
            () => $"job {jobId} to complete (now {status}, {verified} verified); farm-node said:\n{node.Output}");
        Assert.Equal(Drives, verified);

        var reads = new List<Match>();
        await Wait.UntilAsync(
            () => Task.FromResult((reads = [.. ImageDone().Matches(node.Output).Where(m => m.Groups["path"].Value == image)]).Sum(m => Number(m, "drives")) >= Drives),
            InTestController.Patience,
            () => $"the node to log the end of {image}'s reads for {Drives} drives; farm-node said:\n{node.Output}");
        var diskBytes = reads.Sum(m => Number(m, "disk"));
        Assert.True(
            diskBytes <= bytes.Length * 1.25,
            $"{Drives} drives read the {bytes.Length}-byte image with {diskBytes} bytes from disk ({(double)diskBytes / bytes.Length:F2} reads); the node said:\n{string.Join('\n', reads.Select(m => m.Value))}");
        Assert.True(diskBytes >= bytes.Length, $"the node counted {diskBytes} bytes read from disk, less than the image itself");

        // The node sends its figures once more when the image's last drive is done: the API shows the log's.
        JsonElement? served = null;
        await Wait.UntilAsync(
            async () => (served = await ImageReadsAsync(http, "n1", image)) is { } figures && figures.GetProperty("activeDrives").GetInt32() == 0 && figures.GetProperty("drives").GetInt32() >= Drives,
            InTestController.Patience,
            () => $"GET /api/nodes to show n1's reads of {image} with no drive active (now {served?.ToString() ?? "none"})");
        Assert.Equal(bytes.Length, served!.Value.GetProperty("imageBytes").GetInt64());
        Assert.Equal(reads.Sum(m => Number(m, "drives")), served.Value.GetProperty("drives").GetInt32());
        Assert.Equal(diskBytes, served.Value.GetProperty("diskBytesRead").GetInt64());
    }

    private static async Task<int> IdleDrivesAsync(HttpClient http)
    {
        try
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync("/api/status"));
            return status.RootElement.GetProperty("drives").EnumerateArray().Count(d => d.GetProperty("state").GetString() == "Idle");
        }
        catch (Exception notYet) when (notYet is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>The node's figures for one image in <c>GET /api/nodes</c>, or null while it has none.</summary>
    private static async Task<JsonElement?> ImageReadsAsync(HttpClient http, string nodeId, string path)
    {
        try
        {
            using var nodes = JsonDocument.Parse(await http.GetStringAsync("/api/nodes"));
            return nodes.RootElement.EnumerateArray()
                .Where(n => n.GetProperty("id").GetString() == nodeId)
                .SelectMany(n => n.GetProperty("images").EnumerateArray())
                .Where(i => i.GetProperty("path").GetString() == path)
                .Select(i => (JsonElement?)i.Clone())
                .FirstOrDefault();
        }
        catch (Exception notYet) when (notYet is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return null;
        }
    }

    private static async Task<(string Status, int Verified)> JobAsync(HttpClient http, string jobId)
    {
        try
        {
            using var job = JsonDocument.Parse(await http.GetStringAsync($"/api/jobs/{jobId}"));
            return (job.RootElement.GetProperty("status").GetString()!, job.RootElement.GetProperty("verified").GetInt32());
        }
        catch (Exception notYet) when (notYet is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return ("unknown", 0);
        }
    }

    private static long Number(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"job (\d{8}-\d{6}-[0-9a-f]+)")]
    private static partial Regex JobId();

    [GeneratedRegex(@"shared image (?<path>\S+) \((?<size>\d+) bytes\): its last drive is done; (?<disk>\d+) bytes read from disk for (?<drives>\d+) drive\(s\)")]
    private static partial Regex ImageDone();
}
