namespace Farm.Benchmarks.Scale;

/// <summary>
/// <c>farm-bench scale --farm FARM_DLL --store STORE --work DIR [--nodes 20] [--towers 2] [--drives 5]
/// [--discs 1000] [--time-scale 10] [--image-mib 4] [--heartbeat-pause 1.5s]</c>: what the scale run is made of.
/// </summary>
internal sealed record ScaleOptions(string FarmDll, string Store, string WorkDirectory)
{
    public const string Usage = "farm-bench scale --farm FARM_DLL --store sqlite:PATH|postgres://... --work DIR [--nodes 20] [--towers 2] [--drives 5] [--discs 1000] [--time-scale 10] [--image-mib 4] [--heartbeat-pause DURATION]";

    public int Nodes { get; init; } = 20;

    /// <summary>Towers per node.</summary>
    public int Towers { get; init; } = 2;

    /// <summary>Drives per tower.</summary>
    public int Drives { get; init; } = 5;

    public int Discs { get; init; } = 1000;

    /// <summary>Simulated seconds per real second, for every node.</summary>
    public double TimeScale { get; init; } = 10;

    public int ImageMiB { get; init; } = 4;

    /// <summary>The failure detector's acceptable heartbeat pause for the controller and the nodes; null: the farm's default.</summary>
    public TimeSpan? HeartbeatPause { get; init; }

    public int TotalDrives => Nodes * Towers * Drives;

    public static ScaleOptions Parse(string[] args)
    {
        var o = BenchOptions.Parse(args, Usage);
        return new ScaleOptions(Path.GetFullPath(o.Required("--farm")), o.Required("--store"), Path.GetFullPath(o.Required("--work")))
        {
            Nodes = o.Int("--nodes", 20, 1, 500),
            Towers = o.Int("--towers", 2, 1, 16),
            Drives = o.Int("--drives", 5, 1, 64),
            Discs = o.Int("--discs", 1000, 1, 1_000_000),
            TimeScale = o.Number("--time-scale", 10, 1, 1000),
            ImageMiB = o.Int("--image-mib", 4, 1, 4096),
            HeartbeatPause = o.Duration("--heartbeat-pause"),
        };
    }
}
