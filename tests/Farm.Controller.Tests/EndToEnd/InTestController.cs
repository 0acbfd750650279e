using System.Globalization;
using System.Text.RegularExpressions;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Node.Configuration;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// The farm's controller for tests of node processes: the real <c>farm serve</c> on a SQLite farm
/// database, seeding its own cluster at <see cref="Seed"/> (node processes join with --seeds). The
/// test submits through its HTTP API with <c>farm submit</c> and watches its journal through
/// Akka.Persistence.Query.
/// </summary>
internal sealed partial class InTestController : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private InTestController(FarmProcess serve, string seed, string url, string database)
    {
        Serve = serve;
        Seed = seed;
        Url = url;
        Journal = JournalAudit.OfFarm(new JournalAddress(true, database));
    }

    public FarmProcess Serve { get; }

    /// <summary>The controller's cluster address, HOST:PORT: the node's --seeds.</summary>
    public string Seed { get; }

    /// <summary>The HTTP API (and console).</summary>
    public string Url { get; }

    /// <summary>The controller singleton's journal in farm.db.</summary>
    public JournalAudit Journal { get; }

    /// <param name="clusterPort">The controller's cluster port (see <see cref="NodeProcessCrashTests"/> for why a test may choose it).</param>
    public static async Task<InTestController> StartAsync(string database, int clusterPort)
    {
        var seed = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{clusterPort}");
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Processes.FreePort()}");
        var serve = FarmProcess.Start("farm serve", Processes.FarmDll, "serve", "--store", $"sqlite:{database}", "--cluster", seed, "--seeds", seed, "--http", url, "--verbose");
        await serve.WaitForOutputAsync("cluster member", Patience);
        return new InTestController(serve, seed, url, database);
    }

    /// <summary>Submits a job with <c>farm submit</c> through the API; its id.</summary>
    public async Task<string> SubmitAsync(string image, int copies)
    {
        using var submit = FarmProcess.Start("farm submit", Processes.FarmDll, "submit", image, "--copies", copies.ToString(CultureInfo.InvariantCulture), "--farm", Url);
        await submit.WaitForExitAsync(Patience);
        Assert.True(submit.ExitCode == 0, $"farm submit failed: {submit.Output}\n{Serve.Output}");
        var match = JobIdPattern().Match(submit.Output);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException($"no job id in: {submit.Output}");
    }

    /// <summary>Polls the controller's journal until the job satisfies <paramref name="condition"/>.</summary>
    public async Task<JobState> WaitForJobAsync(string jobId, Func<JobState, bool> condition, string what, Func<string> outputs)
    {
        JobState? job = null;
        await Wait.UntilAsync(
            async () => (await Journal.StateAsync()).Jobs.TryGetValue(jobId, out job) && condition(job),
            Patience,
            () => $"job {jobId} {what} (now {job?.Status} {job?.Verified}/{job?.Discs}, in flight {job?.InFlight}); {outputs()}\nfarm serve said:\n{Serve.Output}");
        return job!;
    }

    /// <summary>Waits until the controller knows <paramref name="count"/> idle drives (a node joined and its drives reported).</summary>
    public async Task WaitForIdleDrivesAsync(int count, Func<string> outputs)
    {
        var idle = 0;
        await Wait.UntilAsync(
            async () => (idle = (await Journal.StateAsync()).Drives.Values.Count(d => d.Status == DriveStatus.Idle)) >= count,
            Patience,
            () => $"{count} idle drives (now {idle}); {outputs()}\nfarm serve said:\n{Serve.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        Serve.Dispose();
        await Journal.DisposeAsync();
    }

    [GeneratedRegex(@"job (\d{8}-\d{6}-[0-9a-f]+)")]
    private static partial Regex JobIdPattern();
}
