using Farm.Messages.Views;
using System.Globalization;
using Farm.Controller.Scheduling;
using Farm.Node.Journal;
using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>
/// A multi-host farm of real processes on the private PostgreSQL: two `farm serve` (leader and
/// standby) and three `farm-node --simulate 2`, a small image and a journal to watch.
/// </summary>
internal sealed class FarmScenario : IAsyncDisposable
{
    public const string TimeScale = "10";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempDirectory folder = new("farm-mh");
    private readonly List<FarmProcess> processes = [];

    private FarmScenario(PrivatePostgres postgres, string connectionString, PostgresJournal journal)
    {
        Postgres = postgres;
        ConnectionString = connectionString;
        Journal = journal;
        Store = PrivatePostgres.UriOf(connectionString);
        ImagePath = folder.PathOf("release.iso");
        var image = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(image);
        File.WriteAllBytes(ImagePath, image);
    }

    public PrivatePostgres Postgres { get; }

    public string ConnectionString { get; }

    public string Store { get; }

    public string ImagePath { get; }

    public PostgresJournal Journal { get; }

    public List<FarmProcess> Controllers { get; } = [];

    public Dictionary<string, FarmProcess> Nodes { get; } = new(StringComparer.Ordinal);

    public static async Task<FarmScenario> StartAsync(PrivatePostgres postgres)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var journal = await PostgresJournal.OpenAsync(connectionString, TimeProvider.System, PostgresJournalOptions.Default with { PollInterval = TimeSpan.FromMilliseconds(200) }, null, CancellationToken.None);
        var scenario = new FarmScenario(postgres, connectionString, journal);
        for (var i = 1; i <= 2; i++)
        {
            scenario.Controllers.Add(scenario.Track(FarmProcess.Start($"controller-{i}", Processes.FarmDll, "serve", "--store", scenario.Store, "--lease-timeout", "4s", "--snapshot-every", "50")));
        }

        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            scenario.StartNode(node);
        }

        await Wait.UntilAsync(async () => (await scenario.StateAsync()).Drives.Values.Count(d => d.Status == DriveStatus.Idle) == 6, Patience, () => $"6 idle drives; output:\n{scenario.Outputs()}");
        return scenario;
    }

    public FarmProcess StartNode(string nodeId)
    {
        var node = Track(FarmProcess.Start(nodeId, Processes.FarmNodeDll, "--store", Store, "--simulate", "2", "--time-scale", TimeScale, "--node-id", nodeId, "--data", folder.PathOf(nodeId), "--heartbeat", "1s"));
        Nodes[nodeId] = node;
        return node;
    }

    public string NodeDatabase(string nodeId) => folder.PathOf(Path.Combine(nodeId, "node.db"));

    public FarmProcess Leader() => Controllers.Single(c => !c.HasExited && c.Output.Contains("caught up", StringComparison.Ordinal));

    public async Task<IReadOnlyList<JournalEntry>> EntriesAsync() => await JournalAudit.ReadAllAsync(Journal);

    public async Task<FarmState> StateAsync() => JournalAudit.Fold(await EntriesAsync());

    public async Task<string> SubmitAsync(int copies)
    {
        var request = new JobRequest(ImagePath, new FileInfo(ImagePath).Length / 2048, copies, Farm.Messages.VerifyMode.Full, "DVD+R");
        return await JobLedger.SubmitAsync(Journal, request, TimeProvider.System, CancellationToken.None);
    }

    public async Task<JobState> WaitForJobAsync(string jobId, Func<JobState, bool> condition, string what)
    {
        JobState? job = null;
        await Wait.UntilAsync(
            async () => (await StateAsync()).Jobs.TryGetValue(jobId, out job) && condition(job),
            Patience,
            () => $"job {jobId} {what} (now {job?.Status} {job?.Verified}/{job?.Discs}, in flight {job?.InFlight}); output:\n{Outputs()}");
        return job!;
    }

    public string Outputs() => string.Join("\n", processes.Select(p => $"--- {p.Name}{(p.HasExited ? string.Create(CultureInfo.InvariantCulture, $" (exited {p.ExitCode})") : "")}:\n{Tail(p.Output)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }

        await Journal.DisposeAsync();
        folder.Dispose();
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    private FarmProcess Track(FarmProcess process)
    {
        processes.Add(process);
        return process;
    }
}
