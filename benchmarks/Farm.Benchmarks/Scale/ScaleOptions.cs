using System.Globalization;
using Farm.Messages.Cli;

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
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{args[i]}' is not an option with a value; usage: {Usage}");
            }

            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required; usage: {Usage}");
        int Int(string name, int fallback, int min, int max)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
        }

        var scale = values.TryGetValue("--time-scale", out var s) ? double.Parse(s, CultureInfo.InvariantCulture) : 10;
        if (!(scale >= 1 && scale <= 1000))
        {
            throw new ArgumentException($"--time-scale must be from 1 to 1000, not {scale}");
        }

        return new ScaleOptions(Path.GetFullPath(Required("--farm")), Required("--store"), Path.GetFullPath(Required("--work")))
        {
            Nodes = Int("--nodes", 20, 1, 500),
            Towers = Int("--towers", 2, 1, 16),
            Drives = Int("--drives", 5, 1, 64),
            Discs = Int("--discs", 1000, 1, 1_000_000),
            TimeScale = scale,
            ImageMiB = Int("--image-mib", 4, 1, 4096),
            HeartbeatPause = values.TryGetValue("--heartbeat-pause", out var pause) ? Units.ParseDuration(pause, "--heartbeat-pause", plainUnit: "s") : null,
        };
    }
}
