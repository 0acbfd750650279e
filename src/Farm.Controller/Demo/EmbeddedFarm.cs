using Akka.Actor;
using Akka.Hosting;
using Farm.Controller.Api;
using Farm.Controller.Hosting;
using Farm.Controller.HotFolder;
using Farm.Controller.Scheduling;
using Farm.Device.Simulation;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Node.Hosting;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Demo;

/// <summary>The embedded farm's shape: one process of both roles, one simulated tower, SQLite in a data folder.</summary>
public sealed record EmbeddedFarmOptions
{
    public required string DataDirectory { get; init; }

    /// <summary>Drives per tower.</summary>
    public int Drives { get; init; } = 4;

    /// <summary>Simulated towers on the node, each of <see cref="Drives"/> drives (the console's 200-drive test uses 4 of 50).</summary>
    public int Towers { get; init; } = 1;

    /// <summary>Simulated seconds per real second, for drives and the arm alike.</summary>
    public double TimeScale { get; init; } = 10;

    public string MediaType { get; init; } = "DVD+R";

    /// <summary>The simulated drives' write speed as a multiple of the medium's 1x; null: the medium's highest.</summary>
    public double? WriteSpeedX { get; init; }

    public int InputBlanks { get; init; } = 100;

    /// <summary>The simulated towers have a disc printer (labelled jobs are refused by a farm whose towers have none).</summary>
    public bool Printers { get; init; } = true;
    /// <summary>Runs on each disc the first tower takes from its input bin before it is loaded (tests: appendable discs); null: blanks.</summary>
    public Func<SimulatedDisc, CancellationToken, Task>? PrepareInput { get; init; }

    public string NodeId { get; init; } = "node-1";

    /// <summary>The first tower's id; further towers are T2, T3...</summary>
    public string TowerId { get; init; } = "T1";

    /// <summary>Where the API and the console listen; port 0 picks a free one.</summary>
    public string Http { get; init; } = "http://127.0.0.1:0";

    public SupervisionOptions Supervision { get; init; } = SupervisionOptions.Default;

    public SchedulerOptions Scheduler { get; init; } = new();

    /// <summary>The hot folder this farm watches for .JRQ files, or null.</summary>
    public HotFolderOptions? HotFolder { get; init; }

    /// <summary>Who may use the API and where submitted images must be (<c>--auth</c>, <c>--image-root</c>).</summary>
    public FarmApiOptions Api { get; init; } = new();

    public EmbeddedFarmOptions Validate()
    {
        if (Drives is < 1 or > 64)
        {
            throw new ArgumentException($"--drives must be between 1 and 64, not {Drives}");
        }

        if (Towers is < 1 or > 8)
        {
            throw new ArgumentException($"the embedded farm runs 1 to 8 simulated towers, not {Towers}");
        }

        if (!(TimeScale >= 1) || double.IsInfinity(TimeScale))
        {
            throw new ArgumentException($"--time-scale must be a number of at least 1 (simulated seconds per real second), not {TimeScale}");
        }

        if (WriteSpeedX is { } speed && !(speed > 0 && double.IsFinite(speed)))
        {
            throw new ArgumentException($"--write-speed must be a positive multiple of the medium's 1x speed, not {speed}");
        }

        Scheduler.Validate();
        HotFolder?.Validate();
        return this;
    }

    public static string DriveIdOf(string towerId, int number) => SimulatedTowerSpec.DriveIdOf(towerId, number);

    /// <summary>Tower <c>n</c>'s id (1-based).</summary>
    public string TowerIdOf(int number) => number == 1 ? TowerId : $"T{number}";
}

/// <summary>
/// The whole farm in one process (the README's demo and the end-to-end tests): one ActorSystem of
/// both roles in a cluster of one, the controller singleton on SQLite (farm.db), one node with a
/// simulated tower of drives on its own journal (node.db), and the HTTP API and console. The node
/// and the controller still talk only by the farm's messages, exactly as on separate machines.
/// </summary>
public sealed class EmbeddedFarm : IAsyncDisposable
{
    private static readonly TimeSpan AskLimit = TimeSpan.FromSeconds(30);
    private readonly WebApplication _app;
    private readonly IReadOnlyList<SimulatedTowerRig> _rigs;

    private EmbeddedFarm(WebApplication app, IReadOnlyList<SimulatedTowerRig> rigs, ActorSystem system, IActorRef controller, IActorRef node)
    {
        _app = app;
        _rigs = rigs;
        Drives = rigs.SelectMany(r => r.Drives).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
        System = system;
        Controller = controller;
        Node = node;
    }

    public ActorSystem System { get; }

    /// <summary>The controller singleton's proxy.</summary>
    public IActorRef Controller { get; }

    /// <summary>The node's actor (drives' status, operator commands).</summary>
    public IActorRef Node { get; }

    /// <summary>The simulated drives (of every tower) by id, for fault injection.</summary>
    public IReadOnlyDictionary<string, SimulatedDrive> Drives { get; }

    /// <summary>The (first) simulated tower, once its actor built it.</summary>
    public Task<SimulatedTower> Tower => _rigs[0].Tower;

    /// <summary>The hot folder's watcher, when the farm watches one.</summary>
    public HotFolderWatcher? HotFolder => _app.Services.GetService<HotFolderWatcher>();

    /// <summary>Where the API and the console answer.</summary>
    public string Url => _app.Urls.First();

    public static async Task<EmbeddedFarm> StartAsync(EmbeddedFarmOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        // The first tower keeps its media where a one-tower farm always had them (a data folder
        // started again finds its discs); further towers each have their own folder.
        var rigs = Enumerable.Range(1, options.Towers).Select(n => SimulatedTowerRig.Build(
            new SimulatedTowerSpec(options.TowerIdOf(n), options.Drives, options.MediaType, options.InputBlanks, options.TimeScale, Path.Combine(options.DataDirectory, n == 1 ? "media" : $"media-{options.TowerIdOf(n)}"))
            {
                WriteSpeedX = options.WriteSpeedX,
                HasPrinter = options.Printers,
                PrepareInput = n == 1 ? options.PrepareInput : null,
                DriveName = d => $"sim:{options.MediaType}#{(n == 1 ? "" : options.TowerIdOf(n) + ".")}{d}",
            },
            time)).ToList();
        var node = new NodeSetup(
            options.NodeId,
            options.DataDirectory,
            [.. rigs.Select(r => r.Setup)],
            (nodeId, towerId, driveId) => new RecorderOptions { NodeId = nodeId, TowerId = towerId, DriveId = driveId })
        {
            Supervision = options.Supervision,
            Time = time,
        };
        var cluster = new FarmClusterOptions { Host = "127.0.0.1", Port = 0, Roles = [FarmClusterOptions.ControllerRole, FarmClusterOptions.NodeRole] };
        var store = new JournalAddress(true, Path.Combine(options.DataDirectory, "farm.db"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Http);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(time);
        builder.Services.AddAkka(FarmClusterOptions.SystemName, (akka, _) => akka
            .ConfigureLoggers(l => l.AddLoggerFactory(loggers))
            .AddFarmController(cluster, store, options.Scheduler, time)
            .AddFarmNode(node));
        builder.Services.AddFarmApi(options.Api);
        builder.Services.AddHotFolder(options.HotFolder);
        var app = builder.Build();
        app.MapFarmApi();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException busy)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await DisposeAllAsync(rigs).ConfigureAwait(false);
            throw new InvalidOperationException($"cannot serve the console at {options.Http}: {busy.Message}; choose another address or port", busy);
        }

        var registry = app.Services.GetRequiredService<ActorRegistry>();
        var system = app.Services.GetRequiredService<ActorSystem>();
        var farm = new EmbeddedFarm(app, rigs, system, await registry.GetAsync<FarmControllerKey>(cancellationToken).ConfigureAwait(false), await registry.GetAsync<NodeActor>(cancellationToken).ConfigureAwait(false));
        await farm.AwaitDrivesRegisteredAsync(time, cancellationToken).ConfigureAwait(false);
        return farm;
    }

    /// <summary>
    /// Waits (up to <see cref="AskLimit"/>) until the controller knows every simulated drive: the
    /// node registers them a moment after the cluster forms, and a farm that answers
    /// <c>farm drives</c> with an empty table right after it said it started looks broken. A farm
    /// whose drives are slower than that still starts; the console shows them as they come.
    /// </summary>
    private async Task AwaitDrivesRegisteredAsync(TimeProvider time, CancellationToken cancellationToken) =>
        // Started all the same if the limit passes: the drives appear as the node registers them.
        await PollUntilAsync(
            async token => Drives.Keys.All((await StateAsync(token).ConfigureAwait(false)).Drives.ContainsKey),
            TimeSpan.FromMilliseconds(50), AskLimit, time, cancellationToken).ConfigureAwait(false);

    /// <summary>Submits a job (its id chosen here, as the API does) and returns its id once the controller persisted it.</summary>
    public async Task<string> SubmitAsync(JobRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        JobLedger.Validate(request);
        var now = time.GetUtcNow();
        var job = new JobSubmitted(JobIds.New(now), request.ImagePath, request.ImageBlocks, request.Copies, request.Verify, request.MediaType, request.Priority, now,
            request.Source, request.Label, request.DueAt, request.MaxAttemptsPerCopy, request.AllowResume);
        var accepted = await Controller.Ask<JobAccepted>(new SubmitJob(job), AskLimit, cancellationToken).ConfigureAwait(false);
        return accepted.JobId;
    }

    /// <summary>Holds, resumes or cancels a job; the controller's answer.</summary>
    public async Task<object> ControlAsync(string jobId, JobControl control, bool abortInFlight, CancellationToken cancellationToken) =>
        await Controller.Ask<object>(new ControlJob(jobId, control, abortInFlight, "operator"), AskLimit, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes the job's HTML report (as <c>GET /api/jobs/{id}/report?format=html</c> gives it) to
    /// <paramref name="path"/>, once this process's disc history has read every verified disc of
    /// it from the journal (it follows the journal a fraction of a second behind), or after 10 s.
    /// </summary>
    public async Task WriteReportAsync(string jobId, string path, CancellationToken cancellationToken)
    {
        var ledger = _app.Services.GetRequiredService<Api.Reports.DiscLedger>();
        var time = _app.Services.GetRequiredService<TimeProvider>();
        var job = (await StateAsync(cancellationToken).ConfigureAwait(false)).Jobs[jobId];
        // After the limit the report says what the history holds by now.
        await PollUntilAsync(
            _ => ValueTask.FromResult(ledger.Of(jobId).Count(d => d.Outcome == Api.Reports.DiscOutcomes.Verified) >= job.Verified),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), time, cancellationToken).ConfigureAwait(false);

        var report = Api.Reports.JobReport.Of(job, ledger.Of(jobId), time.GetUtcNow());
        await File.WriteAllTextAsync(path, Api.Reports.ReportHtml.Render(report), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks <paramref name="holds"/> every <paramref name="interval"/> until it is true or
    /// <paramref name="limit"/> has passed. Only the caller's own cancellation throws: both callers
    /// go on with what they have when their patience runs out.
    /// </summary>
    private static async Task PollUntilAsync(Func<CancellationToken, ValueTask<bool>> holds, TimeSpan interval, TimeSpan limit, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var poll = new PeriodicTimer(interval, time);
        try
        {
            while (!await holds(deadline.Token).ConfigureAwait(false))
            {
                await poll.WaitForNextTickAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The limit passed first.
        }
    }

    /// <summary>The controller's current view of the farm.</summary>
    public async Task<FarmState> StateAsync(CancellationToken cancellationToken) =>
        await Controller.Ask<FarmState>(GetFarmState.Instance, AskLimit, cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _app.StopAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await DisposeAllAsync(_rigs).ConfigureAwait(false);
    }

    private static async Task DisposeAllAsync(IEnumerable<SimulatedTowerRig> rigs)
    {
        foreach (var rig in rigs)
        {
            await rig.DisposeAsync().ConfigureAwait(false);
        }
    }
}
