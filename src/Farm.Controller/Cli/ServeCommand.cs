using System.CommandLine;
using Akka.Hosting;
using Farm.Controller.Api;
using Farm.Controller.Hosting;
using Farm.Controller.HotFolder;
using Farm.Controller.Scheduling;
using Farm.Messages.Cli;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm serve --store ... --cluster HOST:PORT --seeds ... --http URL</c>: a controller process
/// of the farm's cluster. It may host the farm controller singleton (the oldest controller does;
/// when its host dies another takes over and recovers from the farm's database) and serves the
/// HTTP API and the operator console, forwarding to the singleton wherever it runs.
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var store = new Option<string>("--store")
        {
            Description = "The farm's database: postgres://user@host:port/db, an Npgsql connection string (postgres:Host=...;Database=...), or sqlite:/path/farm.db (one host only) (default: $FARM_STORE)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FARM_STORE") ?? "",
        };
        var clusterAt = new Option<string>("--cluster") { Description = "This process's cluster address HOST:PORT (Akka.Remote over TCP)", Required = true };
        var seeds = new Option<string?>("--seeds") { Description = "Seed nodes HOST:PORT[,HOST:PORT...] (default: this process seeds itself)" };
        var http = new Option<string>("--http") { Description = "Where the HTTP API and the console listen, e.g. http://127.0.0.1:5080", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per copy before its job fails (a job may set its own)", DefaultValueFactory = _ => 5 };
        var maintenanceAfter = new Option<int>("--maintenance-after") { Description = "Failed burns within --failure-window that send a drive to maintenance", DefaultValueFactory = _ => 3 };
        var failureWindow = new Option<string>("--failure-window") { Description = "The window --maintenance-after counts in (e.g. 10m)", DefaultValueFactory = _ => "10m" };
        var noDriveGrace = new Option<string>("--no-drive-grace") { Description = "How long a job may find no capable drive before it fails (e.g. 30s)", DefaultValueFactory = _ => "30s" };
        var snapshotEvery = new Option<int>("--snapshot-every") { Description = "Events between two snapshots of the farm controller's state (recovery reads the latest one plus the events after it)", DefaultValueFactory = _ => 1000 };
        var heartbeatPause = new Option<string>("--heartbeat-pause")
        {
            Description = "How long a cluster member may miss heartbeats before it is unreachable (0.5s to 1m): longer on a loaded machine, shorter for quicker failover",
            DefaultValueFactory = _ => "1.5s",
        };
        var rejoinWait = new Option<string?>("--rejoin-wait")
        {
            Description = "As the first (or only) seed: how long to wait for a node of the cluster it left to invite this controller back before it forms the cluster alone (default: the heartbeat pause + 6s; 0 with no node running)",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Log information, not only warnings (to stderr)" };
        var hotFolder = HotFolderOption();
        var access = new ApiAccessOptions();
        var command = new Command("serve", "Run a controller process of the farm: may host the controller singleton, serves the API and the console")
        {
            store, clusterAt, seeds, http, maxAttempts, maintenanceAfter, failureWindow, noDriveGrace, snapshotEvery, heartbeatPause, rejoinWait, verbose, hotFolder,
        };
        access.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            ServeSettings settings;
            try
            {
                var (host, port) = FarmClusterOptions.ParseEndpoint(result.GetValue(clusterAt)!, "--cluster");
                var cluster = new FarmClusterOptions
                {
                    Host = host,
                    Port = port,
                    Seeds = FarmClusterOptions.ParseSeeds(result.GetValue(seeds)),
                    Roles = [FarmClusterOptions.ControllerRole],
                    AcceptableHeartbeatPause = ParseHeartbeatPause(result.GetValue(heartbeatPause)!),
                };
                if (result.GetValue(rejoinWait) is { } wait)
                {
                    cluster = cluster with { RejoinWait = ParseRejoinWait(wait) };
                }

                settings = new ServeSettings(
                    ParseStore(result.GetValue(store)!),
                    cluster,
                    HttpUrl(result.GetValue(http)!, "--http"),
                    new SchedulerOptions
                    {
                        MaxAttemptsPerCopy = result.GetValue(maxAttempts),
                        MaintenanceAfterFailures = result.GetValue(maintenanceAfter),
                        FailureWindow = Units.ParseDuration(result.GetValue(failureWindow), "--failure-window"),
                        NoCapableDriveGrace = Units.ParseDuration(result.GetValue(noDriveGrace), "--no-drive-grace"),
                        SnapshotEvery = result.GetValue(snapshotEvery),
                    }.Validate(),
                    result.GetValue(verbose))
                {
                    HotFolder = HotFolderOptionsOf(result.GetValue(hotFolder)),
                    Api = access.Read(result),
                };
            }
            catch (ArgumentException bad)
            {
                return Fail(bad.Message);
            }

            WebApplication app;
            try
            {
                app = Build(settings);
            }
            catch (Exception bad) when (bad is ArgumentException or IOException or Microsoft.Data.Sqlite.SqliteException)
            {
                return Fail($"cannot use the farm's database {settings.Store.Describe()}: {bad.Message}");
            }

            try
            {
                return await FarmProcess.RunAsync(app, "farm serve", null, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException busy)
            {
                return Fail($"cannot listen at {settings.Http}: {busy.Message}; choose another address or port");
            }
        });
        return command;
    }

    /// <summary>What <c>farm serve</c> runs, validated.</summary>
    public sealed record ServeSettings(JournalAddress Store, FarmClusterOptions Cluster, string Http, SchedulerOptions Scheduler, bool Verbose)
    {
        /// <summary>The hot folder this process watches (<c>--hot-folder</c>), or null.</summary>
        public HotFolderOptions? HotFolder { get; init; }

        /// <summary>Who may use the API (<c>--auth</c>) and where images must be (<c>--image-root</c>).</summary>
        public FarmApiOptions Api { get; init; } = new();
    }

    /// <summary><c>--hot-folder DIR</c> of <c>farm serve</c> and <c>farm demo</c>.</summary>
    public static Option<string?> HotFolderOption() => new("--hot-folder")
    {
        Description = "Watch DIR for PTBurn-style job request files (NAME.JRQ), renamed .QRJ, .INP, .DON or .ERR as they go, with NAME.STATUS beside them. Only this process watches it; give one folder to one controller",
    };

    /// <summary>The hot folder's options for <c>--hot-folder</c> (validated: the folder must exist), or null without it.</summary>
    public static HotFolderOptions? HotFolderOptionsOf(string? folder) =>
        folder is null ? null : new HotFolderOptions { Folder = Path.GetFullPath(folder) }.Validate();

    /// <summary>The controller process: Kestrel with the API and console, and the ActorSystem with the singleton.</summary>
    public static WebApplication Build(ServeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(settings.Http);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(settings.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Services.AddAkka(FarmClusterOptions.SystemName, (akka, _) => akka
            .ConfigureLoggers(loggers => loggers.AddLoggerFactory())
            .AddFarmController(settings.Cluster, settings.Store, settings.Scheduler, TimeProvider.System));
        builder.Services.AddFarmApi(settings.Api);
        builder.Services.AddHotFolder(settings.HotFolder);
        var app = builder.Build();
        app.MapFarmApi();
        return app;
    }

    /// <summary>The shortest and longest <c>--heartbeat-pause</c>: below, a busy moment downs members; above, a dead one holds the singleton too long.</summary>
    public static readonly TimeSpan MinHeartbeatPause = TimeSpan.FromMilliseconds(500);

    public static readonly TimeSpan MaxHeartbeatPause = TimeSpan.FromMinutes(1);

    /// <summary><c>--heartbeat-pause</c> with its unit (<c>2s</c>, <c>1500ms</c>, <c>1m</c>), between 0.5 s and 1 min.</summary>
    public static TimeSpan ParseHeartbeatPause(string text)
    {
        var pause = Units.ParseDuration(text, "--heartbeat-pause");
        if (pause < MinHeartbeatPause || pause > MaxHeartbeatPause)
        {
            throw new ArgumentException($"--heartbeat-pause must be between 500ms and 1m, not {text}; use e.g. 5s on a loaded machine");
        }

        return pause;
    }

    /// <summary>The longest <c>--rejoin-wait</c>: a lone controller that waits longer only delays its farm's start.</summary>
    public static readonly TimeSpan MaxRejoinWait = TimeSpan.FromMinutes(5);

    /// <summary><c>--rejoin-wait</c> with its unit (<c>10s</c>, <c>0</c>), from 0 to 5 min.</summary>
    public static TimeSpan ParseRejoinWait(string text)
    {
        var wait = Units.ParseDuration(text, "--rejoin-wait", plainUnit: "s");
        if (wait < TimeSpan.Zero || wait > MaxRejoinWait)
        {
            throw new ArgumentException($"--rejoin-wait must be between 0 and 5m, not {text}; 0 forms the cluster at once, e.g. 15s gives a restarted controller's nodes longer to invite it back");
        }

        return wait;
    }

    public static JournalAddress ParseStore(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("--store is required (or $FARM_STORE): postgres://user@host:5432/farm, or sqlite:/path/farm.db on one host");
        }

        return JournalAddress.TryParse(text, out var address, out var problem) ? address! : throw new ArgumentException($"--store: {problem}");
    }

    /// <summary>An http:// address with a host and a port; anything else says what is expected.</summary>
    public static string HttpUrl(string text, string option) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsDefaultPort && uri.AbsolutePath == "/"
            ? $"http://{uri.Authority}"
            : throw new ArgumentException($"{option} must be an address such as http://127.0.0.1:5080 (http, a host and a port), not '{text}'");

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"farm serve: {message}");
        return 2;
    }
}
