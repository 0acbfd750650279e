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

        Session.Validate(); // the node id, retry delay and lease: as every node checks them
        return this;
    }

    /// <summary>What every node runs, from these options.</summary>
    public NodeSessionOptions Session => new()
    {
        Store = Store,
        NodeId = NodeId,
        DataDirectory = DataDirectory,
        Lease = Lease,
        RetryDelay = RetryDelay,
    };
}

/// <summary>
/// <c>farm-node --store STORE --simulate N</c>: joins the farm as a node with one simulated tower
/// of N drives, no config file needed (trials, tests, the compose file). With a PostgreSQL store
/// the node writes its events to a local SQLite journal in <c>--data</c> and ships them; with a
/// SQLite store it writes to the farm file directly (one host).
/// </summary>
public static class NodeStoreCommand
{
    /// <summary>True when the command line asks for a store-joined node (it has <c>--store</c>).</summary>
    public static bool Handles(IReadOnlyList<string> args) =>
        args is not null && args.Any(a => a == "--store" || a.StartsWith("--store=", StringComparison.Ordinal) || a == "--simulate");

    public static int Run(string[] args) => Create().Parse(args).Invoke();

    public static RootCommand Create()
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
        return root;
    }

    /// <summary>Runs the node until cancelled; 0 on a clean stop.</summary>
    public static Task<int> RunAsync(StoreNodeOptions options, TimeProvider time, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return NodeSession.RunAsync(options.Validate().Session, (journal, ct) => BuildTowerAsync(options, journal, time, ct), time, loggers, output, cancellationToken);
    }

    /// <summary>The one simulated tower, rebuilt from its stream so its bins and drives are as they were.</summary>
    private static async Task<NodeHardware> BuildTowerAsync(StoreNodeOptions options, IJournal journal, TimeProvider time, CancellationToken cancellationToken)
    {
        var rig = await SimulatedTowerRig.BuildAsync(
            new SimulatedTowerSpec(options.TowerId, options.SimulatedDrives, options.MediaType, options.InputBlanks, options.TimeScale, Path.Combine(options.DataDirectory, "media"))
            {
                DriveName = n => $"sim:{options.NodeId}/{n}",
            },
            journal,
            time,
            cancellationToken).ConfigureAwait(false);
        return new NodeHardware(
            [rig.Setup],
            (nodeId, towerId, driveId) => new RecorderOptions { NodeId = nodeId, TowerId = towerId, DriveId = driveId },
            $"node {options.NodeId}: {options.SimulatedDrives} simulated {options.MediaType} drives in tower {options.TowerId}, store {options.Store}, data {options.DataDirectory}",
            [new Released(rig.Tower.Dispose), .. rig.Drives.Values]);
    }
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
