using System.CommandLine;
using Farm.Node.Configuration;
using Farm.Node.Hosting;
using Microsoft.Extensions.Logging;

namespace Farm.Node;

/// <summary><c>farm-node --config node.json</c> runs a node; <c>farm-node drives --config node.json</c> lists its drives.</summary>
internal static class NodeCommandLine
{
    public static int Run(string[] args) => Create().Parse(args).Invoke();

    public static RootCommand Create()
    {
        var config = new Option<string>("--config") { Description = "The node's configuration (towers, drives, bins, journal); see NodeConfig for the format", DefaultValueFactory = _ => "node.json" };
        var grace = new Option<double>("--shutdown-grace") { Description = "Seconds a burn in progress may take to finish on Ctrl+C before it is cut short (its position is kept)", DefaultValueFactory = _ => 0 };
        var root = new RootCommand("farm-node: a BurnFarm node host (RecorderActor per drive, TowerActor per tower) on the farm's journal") { config, grace };
        root.SetAction((result, cancellationToken) => NodeCommands.RunNodeAsync(result.GetValue(config)!, result.GetValue(grace), cancellationToken));

        var drivesConfig = new Option<string>("--config") { Description = "The node's configuration", DefaultValueFactory = _ => "node.json" };
        var drives = new Command("drives", "List the node's drives: those in the configuration, and what discovery finds") { drivesConfig };
        drives.SetAction((result, cancellationToken) => NodeCommands.ListDrivesAsync(result.GetValue(drivesConfig)!, cancellationToken));
        root.Subcommands.Add(drives);
        return root;
    }
}

/// <summary>What the commands do, apart from parsing.</summary>
internal static class NodeCommands
{
    public static async Task<int> RunNodeAsync(string configPath, double graceSeconds, CancellationToken cancellationToken)
    {
        NodeConfig config;
        try
        {
            config = NodeConfig.Load(configPath);
        }
        catch (NodeConfigException bad)
        {
            await Console.Error.WriteLineAsync($"farm-node: the configuration cannot be used: {bad.Message}").ConfigureAwait(false);
            return 2;
        }

        if (!(graceSeconds >= 0) || !double.IsFinite(graceSeconds))
        {
            await Console.Error.WriteLineAsync($"farm-node: --shutdown-grace must be 0 or more seconds, not {graceSeconds}").ConfigureAwait(false);
            return 2;
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        int exitCode;
        try
        {
            exitCode = await NodeSession.RunAsync(
                NodeRunner.SessionOf(config, TimeSpan.FromSeconds(graceSeconds)),
                (journal, ct) => NodeRunner.BuildAsync(config, journal, TimeProvider.System, ct),
                TimeProvider.System,
                loggers,
                Console.Out,
                cancellationToken).ConfigureAwait(false);
        }
        catch (NodeHardwareException bad)
        {
            await Console.Error.WriteLineAsync($"farm-node {config.NodeId}: {bad.Message}; check the tower's \"robot\" in the configuration and that the changer is on and reachable").ConfigureAwait(false);
            return 2;
        }

        Console.WriteLine($"farm-node {config.NodeId}: stopped");
        return exitCode;
    }

    public static async Task<int> ListDrivesAsync(string configPath, CancellationToken cancellationToken)
    {
        NodeConfig config;
        try
        {
            config = NodeConfig.Load(configPath);
        }
        catch (NodeConfigException bad)
        {
            await Console.Error.WriteLineAsync($"farm-node: the configuration cannot be used: {bad.Message}").ConfigureAwait(false);
            return 2;
        }

        Console.WriteLine($"{"DRIVE",-16} {"TOWER",-8} {"KIND",-10} {"MEDIUM/DEVICE",-16} SPEED");
        foreach (var tower in config.Towers!)
        {
            foreach (var drive in tower.Drives!)
            {
                var kind = drive.Device is null ? "simulated" : "device";
                var what = drive.Device ?? drive.Simulate;
                var speed = drive.WriteSpeed is { } x ? $"{x}x" : "max";
                Console.WriteLine($"{drive.Id,-16} {tower.Id,-8} {kind,-10} {what,-16} {speed}");
            }
        }

        // The configured real hardware, asked what it is and holds (iSCSI targets included).
        foreach (var tower in config.Towers!.Where(t => t.ChangerDevice is not null))
        {
            Console.WriteLine($"tower {tower.Id}: media changer {tower.ChangerDevice}: {await DriveDiscovery.ProbeChangerAsync(tower.ChangerDevice!, NodeRunner.LayoutOf(tower), cancellationToken).ConfigureAwait(false)}");
        }

        foreach (var (tower, drive) in config.Towers!.SelectMany(t => t.Drives!.Where(d => d.Device is not null).Select(d => (t, d))))
        {
            var probed = await DriveDiscovery.ProbeAsync(drive.Device!, "", cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"drive {drive.Id} (tower {tower.Id}, element {drive.Element}): {probed.Device}: {probed.Identity}, medium {probed.Medium}, {probed.State}");
        }

        var discovered = await DriveDiscovery.FindAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine(discovered.Count == 0
            ? "discovery: no optical drive found on this machine (Linux: /dev/sr*, /dev/sg*; Windows: \\\\.\\CdRomN)"
            : $"discovery: {discovered.Count} drive(s) on this machine");
        foreach (var drive in discovered)
        {
            Console.WriteLine($"{drive.Device,-16} {drive.Identity,-36} {drive.Medium,-10} {drive.State}");
        }

        return 0;
    }
}
