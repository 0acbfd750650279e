using System.CommandLine;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Node.Actors;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>What <c>farm-node --store ... --simulate N</c> runs; validated before anything starts.</summary>
public sealed record StoreNodeOptions
{
    public required FarmStore Store { get; init; }

    public required string NodeId { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>Drives in the one simulated tower.</summary>
    public int SimulatedDrives { get; init; } = 4;

    /// <summary>Simulated seconds per real second (drives and arm).</summary>
    public double TimeScale { get; init; } = 10;

    public string MediaType { get; init; } = "DVD+R";

    public int InputBlanks { get; init; } = 100;

    public NodeLeaseOptions Lease { get; init; } = NodeLeaseOptions.Default;

    /// <summary>How long the node waits before trying an unreachable farm journal again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public string TowerId => $"{NodeId}-T1";

    public StoreNodeOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeId) || NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"--node-id must be a non-empty name without spaces, not '{NodeId}'");
        }

        if (SimulatedDrives is < 1 or > 64)
        {
            throw new ArgumentException($"--simulate must be between 1 and 64 drives, not {SimulatedDrives}");
        }

        if (!(TimeScale >= 1) || double.IsInfinity(TimeScale))
        {
            throw new ArgumentException($"--time-scale must be a number of at least 1 (simulated seconds per real second), not {TimeScale}");
        }

        if (InputBlanks is < 0 or > 100_000)
        {
            throw new ArgumentException($"--blanks must be between 0 and 100000, not {InputBlanks}");
        }

        if (RetryDelay < TimeSpan.FromMilliseconds(10) || RetryDelay > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"the retry delay must be between 10 ms and 5 min, not {RetryDelay}");
        }

        Lease.Validate();
        return this;
    }
}

/// <summary>
/// <c>farm-node --store STORE --simulate N</c>: joins the farm as a node with one simulated tower
/// of N drives, no config file needed (trials, tests, the compose file). With a PostgreSQL store
/// the node writes its events to a local SQLite journal in <c>--data</c> and ships them; with a
/// SQLite store it writes to the farm file directly (one host).
/// </summary>
public static partial class NodeStoreCommand
{
    /// <summary>True when the command line asks for a store-joined node (it has <c>--store</c>).</summary>
    public static bool Handles(IReadOnlyList<string> args) =>
        args is not null && args.Any(a => a == "--store" || a.StartsWith("--store=", StringComparison.Ordinal) || a == "--simulate");

    public static int Run(string[] args)
    {
        var store = new Option<string>("--store") { Description = "The farm journal: postgres://user@host:port/db, an Npgsql connection string, or sqlite:/path/farm.db", Required = true };
        var simulate = new Option<int>("--simulate") { Description = "Run one simulated tower of N drives (no config file)", Required = true };
        var timeScale = new Option<double>("--time-scale") { Description = "Simulated seconds per real second", DefaultValueFactory = _ => 10 };
        var nodeId = new Option<string>("--node-id") { Description = "This node's name in the farm", DefaultValueFactory = _ => Environment.MachineName.ToLowerInvariant() };
        var data = new Option<string>("--data") { Description = "Folder for the local journal and the simulated discs", DefaultValueFactory = _ => ".farm-node" };
        var media = new Option<string>("--media") { Description = "Blank media in the simulated tower's input bin", DefaultValueFactory = _ => "DVD+R" };
        var blanks = new Option<int>("--blanks") { Description = "Blanks in the input bin", DefaultValueFactory = _ => 100 };
        var heartbeat = new Option<string>("--heartbeat") { Description = "Heartbeat interval (e.g. 2s, 500ms)", DefaultValueFactory = _ => "2s" };
        var verbose = new Option<bool>("--verbose") { Description = "Log information, not only warnings (to stderr)" };
        var root = new RootCommand("farm-node: a BurnFarm node joined to the farm journal")
        {
            store, simulate, timeScale, nodeId, data, media, blanks, heartbeat, verbose,
        };
        root.SetAction(async (result, cancellationToken) =>
        {
            StoreNodeOptions options;
            try
            {
                options = new StoreNodeOptions
                {
                    Store = FarmStore.Parse(result.GetValue(store)!),
                    NodeId = result.GetValue(nodeId)!,
                    DataDirectory = Path.GetFullPath(result.GetValue(data)!),
                    SimulatedDrives = result.GetValue(simulate),
                    TimeScale = result.GetValue(timeScale),
                    MediaType = result.GetValue(media)!,
                    InputBlanks = result.GetValue(blanks),
                    Lease = new NodeLeaseOptions(Durations.Parse(result.GetValue(heartbeat)!, "--heartbeat")),
                }.Validate();
            }
            catch (ArgumentException bad)
            {
                await Console.Error.WriteLineAsync($"farm-node: {bad.Message}").ConfigureAwait(false);
                return 2;
            }

            using var loggers = LoggerFactory.Create(b => b
                .AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
                .SetMinimumLevel(result.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning));
            return await RunAsync(options, TimeProvider.System, loggers, Console.Out, cancellationToken).ConfigureAwait(false);
        });
        return root.Parse(args).Invoke();
    }

    /// <summary>Runs the node until cancelled; 0 on a clean stop.</summary>
    public static async Task<int> RunAsync(StoreNodeOptions options, TimeProvider time, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var log = loggers.CreateLogger("Farm.Node");

        IJournal farm;
        try
        {
            farm = await options.Store.OpenWithRetryAsync(time, loggers, options.RetryDelay,
                failure => LogStoreUnreachable(log, options.Store.ToString(), failure.Message),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }

        await using var farmJournal = farm.ConfigureAwait(false);
        SqliteJournal? local = null;
        if (options.Store.Kind == FarmStoreKind.Postgres)
        {
            local = await SqliteJournal.OpenAsync(Path.Combine(options.DataDirectory, "node.db"), time, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            IJournal nodeJournal = local is null ? farm : new NodeJournal(local, farm, time, options.RetryDelay, loggers.CreateLogger<NodeJournal>());
            return await RunNodeAsync(options, nodeJournal, local, farm, time, loggers, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunNodeAsync(StoreNodeOptions options, IJournal nodeJournal, SqliteJournal? local, IJournal farm, TimeProvider time, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        var rig = await SimulatedTowerRig.BuildAsync(
            new SimulatedTowerSpec(options.TowerId, options.SimulatedDrives, options.MediaType, options.InputBlanks, options.TimeScale, Path.Combine(options.DataDirectory, "media"))
            {
                DriveName = n => $"sim:{options.NodeId}/{n}",
            },
            nodeJournal,
            time,
            cancellationToken).ConfigureAwait(false);
        using var tower = rig.Tower;
        var (drives, setup) = (rig.Drives, rig.Setup);
        var node = new NodeHost(options.NodeId, nodeJournal, [setup], time, SupervisionOptions.Default,
            (nodeId, towerId, driveId) => new RecorderOptions { NodeId = nodeId, TowerId = towerId, DriveId = driveId }, loggers);
        var lease = new NodeLease(options.NodeId, nodeJournal, () => node.Drives, time, options.Lease, loggers.CreateLogger<NodeLease>());

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = new List<Task>
        {
            Task.Run(() => node.RunAsync(stopping.Token), CancellationToken.None),
            Task.Run(() => lease.RunAsync(stopping.Token), CancellationToken.None),
        };
        if (local is not null)
        {
            var shipper = new JournalShipper(local, farm, time, options.RetryDelay, loggers.CreateLogger<JournalShipper>());
            loops.Add(Task.Run(() => shipper.RunAsync(stopping.Token), CancellationToken.None));
        }

        await output.WriteLineAsync($"node {options.NodeId}: {options.SimulatedDrives} simulated {options.MediaType} drives in tower {options.TowerId}, store {options.Store}, data {options.DataDirectory}").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        var exitCode = 0;
        try
        {
            var first = await Task.WhenAny(loops).ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                // A loop ended on its own: that is a failure; stop the others and report it.
                await first.ConfigureAwait(false);
                exitCode = 1;
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"farm-node: {failure.GetBaseException().Message}").ConfigureAwait(false);
            exitCode = 1;
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await node.DisposeAsync().ConfigureAwait(false);
            foreach (var loop in loops)
            {
                try
                {
                    await loop.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            foreach (var drive in drives.Values)
            {
                await drive.DisposeAsync().ConfigureAwait(false);
            }
        }

        return exitCode;
    }

    [LoggerMessage(EventId = 2330, Level = LogLevel.Warning, Message = "The farm journal {Store} is unreachable, trying again: {Reason}")]
    private static partial void LogStoreUnreachable(ILogger logger, string store, string reason);
}

/// <summary>Durations with units on the command line: 500ms, 2s, 1.5m, 1h.</summary>
public static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value >= 0 && !double.IsInfinity(value) && value * seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                return TimeSpan.FromSeconds(value * seconds);
            }
        }

        throw new ArgumentException($"{option} must be a duration with a unit such as 500ms, 2s, 5m or 1h, not '{text}'");
    }
}
