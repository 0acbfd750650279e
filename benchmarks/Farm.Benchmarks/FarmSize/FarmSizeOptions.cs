namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// <c>farm-bench farmsize --farm FARM_DLL --store STORE --work DIR [--nodes 500] [--members 20]
/// [--towers 4] [--drives 5] [--time-scale 10] [--window 180s] [--start-limit 10min] [--heartbeat-pause 10s]</c>: how
/// many logical nodes, in how many cluster members, with how many protocol-level simulated drives,
/// at what accelerated time, measured for how long.
/// </summary>
internal sealed record FarmSizeOptions(string FarmDll, string Store, string WorkDirectory)
{
    public const string Usage = "farm-bench farmsize --farm FARM_DLL --store sqlite:PATH|postgres://... --work DIR [--nodes 500] [--members 20] [--towers 4] [--drives 5] [--time-scale 10] [--window 180s] [--start-limit 10min] [--heartbeat-pause 10s]";

    /// <summary>Logical nodes: each registers with the controller under its own id and ships its reports through its own outbox.</summary>
    public int Nodes { get; init; } = 500;

    /// <summary>Cluster members (ActorSystems in this process) the logical nodes are spread over.</summary>
    public int Members { get; init; } = 20;

    /// <summary>Towers per logical node.</summary>
    public int Towers { get; init; } = 4;

    /// <summary>Drives per tower.</summary>
    public int Drives { get; init; } = 5;

    /// <summary>Simulated seconds per real second for every drive's phases.</summary>
    public double TimeScale { get; init; } = 10;

    /// <summary>How long the job runs (from its submission) before the figures are taken.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long the farm may take to start: every member up, every node registered, every drive's start reported and confirmed.</summary>
    public TimeSpan StartLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The failure detector's acceptable heartbeat pause (controller and members): a loaded 2-core machine delays heartbeats by seconds.</summary>
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(10);

    public int TotalDrives => Nodes * Towers * Drives;

    public static FarmSizeOptions Parse(string[] args)
    {
        var o = BenchOptions.Parse(args, Usage);
        var options = new FarmSizeOptions(Path.GetFullPath(o.Required("--farm")), o.Required("--store"), Path.GetFullPath(o.Required("--work")))
        {
            Nodes = o.Int("--nodes", 500, 1, 5000),
            Members = o.Int("--members", 20, 1, 200),
            Towers = o.Int("--towers", 4, 1, 16),
            Drives = o.Int("--drives", 5, 1, 64),
            TimeScale = o.Number("--time-scale", 10, 1, 1000),
            Window = o.Duration("--window") ?? TimeSpan.FromMinutes(3),
            StartLimit = o.Duration("--start-limit") ?? TimeSpan.FromMinutes(10),
            HeartbeatPause = o.Duration("--heartbeat-pause") ?? TimeSpan.FromSeconds(10),
        };
        if (options.Members > options.Nodes)
        {
            throw new ArgumentException($"--members ({options.Members}) must not exceed --nodes ({options.Nodes}): a member hosts at least one logical node");
        }

        if (options.Window < TimeSpan.FromSeconds(10))
        {
            throw new ArgumentException($"--window must be at least 10 s (a disc cycle is {DriveTimings.Default.Cycle.TotalSeconds / options.TimeScale:F0} s of real time at this time scale), not {options.Window}");
        }

        return options;
    }
}
