using System.Text.Json;
using System.Text.Json.Serialization;

namespace Farm.Node.Configuration;

/// <summary>
/// <c>node.json</c>: what a node runs. Example:
/// <code>
/// {
///   "nodeId": "node-1",                     // optional; if given, it must be the --node-id
///   "dataDirectory": "node-1-data",         // optional; if given, it must be the --data folder
///   "timeScale": 10,                        // simulated seconds per real second
///   "progress": { "intervalSeconds": 1, "megabytes": 32 },
///   "towers": [ {
///     "id": "T1", "robot": "simulated", "printer": true,
///     "bins": { "input": { "media": "DVD+R", "capacity": 100 }, "output": { "capacity": 100 }, "reject": { "capacity": 50 } },
///     "drives": [ { "id": "T1-D1", "simulate": "DVD+R" }, { "id": "T1-D2", "simulate": "DVD+R", "writeSpeed": 8 } ]
///   } ]
/// }
/// </code>
/// Paths are relative to the file. Unknown fields are errors (a misspelt field must not be ignored).
/// </summary>
public sealed record NodeConfig
{
    /// <summary>Optional: the node's id is the command line's <c>--node-id</c>; a config that names one must name the same.</summary>
    public string? NodeId { get; init; }

    /// <summary>Optional: the node's folder is the command line's <c>--data</c>; a config that names one must name the same.</summary>
    public string? DataDirectory { get; init; }

    public double TimeScale { get; init; } = 1;

    public ProgressConfig? Progress { get; init; }

    public IReadOnlyList<TowerConfig>? Towers { get; init; }

    /// <summary>The folder of the file the config was read from (paths are relative to it).</summary>
    [JsonIgnore]
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>camelCase, comments and trailing commas allowed, unknown fields refused; read-only once built.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Reads and validates a config file; <see cref="NodeConfigException"/> lists every problem with the field it is in.</summary>
    public static NodeConfig Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new NodeConfigException(full, [$"the file does not exist; write one (see 'farm-node --help') or check the path"]);
        }

        NodeConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<NodeConfig>(File.ReadAllText(full), Json);
        }
        catch (JsonException bad)
        {
            var where = string.IsNullOrEmpty(bad.Path) ? "" : $"{bad.Path.TrimStart('$', '.')}: ";
            throw new NodeConfigException(full, [$"{where}{Explain(bad)}"]);
        }

        if (config is null)
        {
            throw new NodeConfigException(full, ["the file holds 'null'; it must hold one JSON object with towers"]);
        }

        config = config with { BaseDirectory = Path.GetDirectoryName(full)! };
        var problems = NodeConfigValidator.Problems(config);
        return problems.Count == 0 ? config : throw new NodeConfigException(full, problems);
    }

    private static string Explain(JsonException bad)
    {
        var message = bad.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        message = cut > 0 ? message[..cut] : message;
        return message.Contains("could not be mapped", StringComparison.Ordinal)
            ? $"{message} Remove the field or fix its spelling."
            : $"{message} Check the JSON syntax and the field's type.";
    }

    /// <summary>A path from the config, absolute (relative ones are taken from the config's folder).</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    /// <summary>The folder the config names (relative to the file), or null.</summary>
    public string? DataPath => DataDirectory is null ? null : Resolve(DataDirectory);

    public TimeSpan ProgressInterval => TimeSpan.FromSeconds(Progress?.IntervalSeconds ?? 1);

    public long ProgressBytes => (long)((Progress?.Megabytes ?? 32) * 1024 * 1024);
}

/// <summary>How often sector progress is persisted while writing.</summary>
public sealed record ProgressConfig
{
    public double? IntervalSeconds { get; init; }

    public double? Megabytes { get; init; }
}

/// <summary>One tower: its robot, bins, optional printer and drives.</summary>
public sealed record TowerConfig
{
    public string? Id { get; init; }

    /// <summary>
    /// "simulated" (the default), or a SCSI media changer: "smc:" and the changer's device,
    /// "smc:/dev/sgN" (Linux) or "smc:iscsi://host:port/iqn/lun".
    /// </summary>
    public string? Robot { get; init; }

    /// <summary>Which storage slots of a media changer are the input, output and reject bins (SMC has no bins).</summary>
    public SlotsConfig? Slots { get; init; }

    /// <summary>The changer's device when the robot is "smc:...", else null.</summary>
    [JsonIgnore]
    public string? ChangerDevice => Robot is { } robot && robot.StartsWith(SmcPrefix, StringComparison.OrdinalIgnoreCase) ? robot[SmcPrefix.Length..] : null;

    public const string SmcPrefix = "smc:";

    public bool Printer { get; init; }

    public BinsConfig? Bins { get; init; }

    public IReadOnlyList<DriveConfig>? Drives { get; init; }

    /// <summary>Simulated arm and printer timings in simulated seconds (real towers: load ~8, unload ~6, print ~40).</summary>
    public double? LoadSeconds { get; init; }

    public double? UnloadSeconds { get; init; }

    public double? PrintSeconds { get; init; }
}

/// <summary>A media changer's bins as storage element address ranges, "1024-1049" or one address "1050".</summary>
public sealed record SlotsConfig
{
    public string? Input { get; init; }

    public string? Output { get; init; }

    public string? Reject { get; init; }

    /// <summary>The arm's element address (default: the first medium transport element the changer reports).</summary>
    public int? Arm { get; init; }
}

public sealed record BinsConfig
{
    public InputBinConfig? Input { get; init; }

    public BinConfig? Output { get; init; }

    public BinConfig? Reject { get; init; }
}

/// <summary>The input bin: which blanks it holds and how many fit.</summary>
public sealed record InputBinConfig
{
    public string? Media { get; init; }

    public int? Capacity { get; init; }
}

public sealed record BinConfig
{
    public int? Capacity { get; init; }
}

/// <summary>One drive: a device path, or a simulated drive for a medium profile.</summary>
public sealed record DriveConfig
{
    public string? Id { get; init; }

    /// <summary>A real drive: "/dev/sr0", "/dev/sg3" (Linux), "\\.\CdRom0" (Windows), "iscsi://host:port/iqn/lun".</summary>
    public string? Device { get; init; }

    /// <summary>A real drive's data transfer element address in its tower's media changer.</summary>
    public int? Element { get; init; }

    /// <summary>A simulated drive for this medium ("DVD+R", "BD-RE"...).</summary>
    public string? Simulate { get; init; }

    /// <summary>A simulated drive's write speed as a multiple of the medium's 1x (default: the medium's highest).</summary>
    public double? WriteSpeed { get; init; }
}

/// <summary>A config that cannot be used: every problem, each naming its field and what to do.</summary>
public sealed class NodeConfigException : Exception
{
    public NodeConfigException(string path, IReadOnlyList<string> problems)
        : base($"{path}:{Environment.NewLine}" + string.Join(Environment.NewLine, (problems ?? []).Select(p => "  " + p)))
    {
        Path = path;
        Problems = problems ?? [];
    }

    public NodeConfigException() : this("node.json", []) { }

    public NodeConfigException(string message) : base(message)
    {
        Path = "";
        Problems = [message];
    }

    public NodeConfigException(string message, Exception inner) : base(message, inner)
    {
        Path = "";
        Problems = [message];
    }

    public string Path { get; }

    public IReadOnlyList<string> Problems { get; }
}
