using System.CommandLine;
using Farm.Messages.Cli;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Node.Hosting;
using Farm.Node.Images;

namespace Farm.Node;

/// <summary>
/// <c>farm-node --cluster HOST:PORT --seeds HOST:PORT[,HOST:PORT...] --node-id ID --data DIR
/// [--simulate N --time-scale X [--media M --write-speed X --load-seconds S --unload-seconds S
/// --buffer-underrun-free on|off --discard-media] | --config node.json] [--image-ring-mib N]
/// [--farm URL[,URL...] [--token TOKEN] [--image-cache SIZE] [--fetch-images missing|always]]</c> runs a node in the farm's cluster;
/// <c>farm-node drives --config node.json</c> lists a configuration's drives.
/// </summary>
internal static class NodeCommandLine
{
    public static int Run(string[] args) => Create().Parse(args).Invoke();

    public static RootCommand Create()
    {
        var cluster = new Option<string>("--cluster") { Description = "This node's cluster address, HOST:PORT (port 0 picks a free one)", Required = true };
        var seeds = new Option<string>("--seeds") { Description = "The cluster's seed nodes, HOST:PORT[,HOST:PORT...] (a controller's --cluster address)", Required = true };
        var nodeId = new Option<string>("--node-id") { Description = "This node's name in the farm (unique among live members)", Required = true };
        var data = new Option<string>("--data") { Description = "The node's folder: its journal (node.db) and simulated discs", Required = true };
        var simulate = new Option<int?>("--simulate") { Description = "Run one simulated tower of N drives (instead of --config)" };
        var timeScale = new Option<double?>("--time-scale") { Description = "Simulated seconds per real second (with --simulate; default 10)" };
        var config = new Option<string?>("--config") { Description = "The node's towers and drives (node.json; see NodeConfig for the format), instead of --simulate" };
        var media = new Option<string?>("--media") { Description = "Blank media in the simulated tower's input bin (with --simulate; default DVD+R)" };
        var blanks = new Option<int?>("--blanks") { Description = "Blanks in the simulated tower's input bin (with --simulate; default 100)" };
        var writeSpeed = new Option<double?>("--write-speed") { Description = "The simulated drives' top write speed as a multiple of 1x (with --simulate; default: the medium's)" };
        var loadSeconds = new Option<double?>("--load-seconds") { Description = "Simulated seconds the arm takes to load a blank (with --simulate; default 8)" };
        var unloadSeconds = new Option<double?>("--unload-seconds") { Description = "Simulated seconds the arm takes to unload a disc (with --simulate; default 6)" };
        var bufe = new Option<string?>("--buffer-underrun-free") { Description = "on or off: the simulated drives' buffer-underrun-free recording (with --simulate; default on; off: a starved drive loses its disc)" };
        var discard = new Option<bool>("--discard-media") { Description = "Simulated discs keep nothing written to them (with --simulate; for benchmarks: submit with --verify none)" };
        var ring = new Option<int?>("--image-ring-mib") { Description = "MiB of one image held in memory while drives burn it (default 256): drives whose writes start within that much of each other share one read" };
        var farm = new Option<string?>("--farm") { Description = "The controllers' HTTP addresses, URL[,URL...] (their farm serve --http): an image this node cannot open at the job's path is fetched from them by its SHA-256" };
        var token = new Option<string?>("--token")
        {
            Description = "The API token the node fetches images with (default: $FARM_TOKEN); a farm started with --auth needs one (a viewer's suffices)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FARM_TOKEN"),
        };
        var imageCache = new Option<string?>("--image-cache") { Description = "The most the node keeps of fetched images in DATA/images (with --farm; default 20GiB): least recently used go first, never one a drive is burning" };
        var fetchImages = new Option<string?>("--fetch-images") { Description = "missing (default): fetch an image only when the node cannot open the job's path; always: fetch every image (with --farm)" };
        var grace = new Option<string>("--shutdown-grace") { Description = "How long a burn in progress may take to finish on Ctrl+C before it is cut short (its position is kept): 30s, 2m; a plain number is seconds", DefaultValueFactory = _ => "0s" };
        var verbose = new Option<bool>("--verbose") { Description = "Log information, not only warnings (to stderr)" };
        var root = new RootCommand("farm-node: a BurnFarm node (TowerActor per tower, RecorderActor per drive) in the farm's Akka.NET cluster")
        {
            cluster, seeds, nodeId, data, simulate, timeScale, config, media, blanks, writeSpeed, loadSeconds, unloadSeconds, bufe, discard, ring, farm, token, imageCache, fetchImages, grace, verbose,
        };
        root.SetAction(async (result, cancellationToken) =>
        {
            NodeProcessOptions options;
            try
            {
                options = ReadOptions(
                    result.GetValue(cluster)!, result.GetValue(seeds)!, result.GetValue(nodeId)!, result.GetValue(data)!,
                    new SimulationChoice(result.GetValue(simulate), result.GetValue(timeScale), result.GetValue(media), result.GetValue(blanks), result.GetValue(writeSpeed))
                    {
                        LoadSeconds = result.GetValue(loadSeconds),
                        UnloadSeconds = result.GetValue(unloadSeconds),
                        BufferUnderrunFree = result.GetValue(bufe),
                        DiscardMedia = result.GetValue(discard),
                    },
                    result.GetValue(config),
                    result.GetValue(grace)!);
                var fetch = ReadImageFetch(result.GetValue(farm), result.GetValue(token), result.GetValue(imageCache), result.GetValue(fetchImages), options.DataDirectory);
                options = (options with { ImageRingMiB = result.GetValue(ring), ImageFetch = fetch }).Validate();
            }
            catch (Exception bad) when (bad is ArgumentException or NodeConfigException)
            {
                await Console.Error.WriteLineAsync($"farm-node: {bad.Message}").ConfigureAwait(false);
                return 2;
            }

            return await NodeProcess.RunAsync(options with { Verbose = result.GetValue(verbose) }, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });

        var drivesConfig = new Option<string>("--config") { Description = "The node's configuration", DefaultValueFactory = _ => "node.json" };
        var drives = new Command("drives", "List the node's drives: those in the configuration, and what discovery finds") { drivesConfig };
        drives.SetAction((result, cancellationToken) => NodeCommands.ListDrivesAsync(result.GetValue(drivesConfig)!, cancellationToken));
        root.Subcommands.Add(drives);
        return root;
    }

    /// <summary>The simulation options as given (null: not given).</summary>
    internal sealed record SimulationChoice(int? Drives, double? TimeScale, string? Media, int? Blanks, double? WriteSpeed)
    {
        public double? LoadSeconds { get; init; }

        public double? UnloadSeconds { get; init; }

        /// <summary>"on", "off" or null (on).</summary>
        public string? BufferUnderrunFree { get; init; }

        public bool DiscardMedia { get; init; }

        public bool Given => TimeScale is not null || Blanks is not null || WriteSpeed is not null || Media is not null
            || LoadSeconds is not null || UnloadSeconds is not null || BufferUnderrunFree is not null || DiscardMedia;
    }

    /// <summary>
    /// <c>--farm</c>, <c>--token</c>, <c>--image-cache</c> and <c>--fetch-images</c>: how the node gets images it cannot
    /// open; null without <c>--farm</c>. <see cref="ArgumentException"/> says which value is wrong.
    /// </summary>
    internal static ImageFetchOptions? ReadImageFetch(string? farm, string? token, string? cache, string? mode, string dataDirectory)
    {
        if (farm is null)
        {
            if (cache is not null || mode is not null)
            {
                throw new ArgumentException("--image-cache and --fetch-images go with --farm URL (the controllers the node fetches images from)");
            }

            return null;
        }

        var controllers = farm.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw new ArgumentException($"--farm takes controller addresses such as http://controller:8080, not '{url}'")).ToList();
        var always = mode switch
        {
            null or "missing" => false,
            "always" => true,
            var other => throw new ArgumentException($"--fetch-images is missing or always, not '{other}'"),
        };
        return new ImageFetchOptions(controllers, Path.Combine(dataDirectory, "images"))
        {
            Token = string.IsNullOrWhiteSpace(token) ? null : token,
            CacheBytes = cache is null ? ImageFetchOptions.DefaultCacheBytes : Units.ParseSize(cache, "--image-cache"),
            FetchAlways = always,
        }.Validate();
    }

    /// <summary>Checks the command line's values; <see cref="ArgumentException"/> says which is wrong and what to do.</summary>
    internal static NodeProcessOptions ReadOptions(string cluster, string seeds, string nodeId, string data, SimulationChoice simulation, string? configPath, string grace)
    {
        var (host, port) = FarmClusterOptions.ParseEndpoint(cluster, "--cluster");
        var seedList = FarmClusterOptions.ParseSeeds(seeds);
        if (seedList.Count == 0)
        {
            throw new ArgumentException("--seeds needs at least one HOST:PORT (a controller's --cluster address)");
        }

        var shutdownGrace = Units.ParseDuration(grace, "--shutdown-grace", plainUnit: "s");

        var dataDirectory = Path.GetFullPath(data);
        var simulated = simulation.Drives is not null;
        if (simulated == (configPath is not null))
        {
            throw new ArgumentException("give either --simulate N (one simulated tower) or --config node.json (the node's towers), not both and not neither");
        }

        if (!simulated && simulation.Given)
        {
            throw new ArgumentException("--time-scale, --media, --blanks, --write-speed, --load-seconds, --unload-seconds, --buffer-underrun-free and --discard-media go with --simulate; with --config some are in node.json (timeScale, bins, writeSpeed, loadSeconds, unloadSeconds)");
        }

        var bufe = simulation.BufferUnderrunFree switch
        {
            null or "on" => true,
            "off" => false,
            var other => throw new ArgumentException($"--buffer-underrun-free is on or off, not '{other}'"),
        };

        NodeConfig? config = null;
        SimulatedNode? node = null;
        if (simulated)
        {
            node = new SimulatedNode(simulation.Drives!.Value, simulation.TimeScale ?? 10, simulation.Media ?? "DVD+R", simulation.Blanks ?? 100, simulation.WriteSpeed)
            {
                LoadSeconds = simulation.LoadSeconds,
                UnloadSeconds = simulation.UnloadSeconds,
                BufferUnderrunFree = bufe,
                DiscardMedia = simulation.DiscardMedia,
            }.Validate();
        }
        else
        {
            config = NodeConfig.Load(configPath!);
            if (config.NodeId is { } named && named != nodeId)
            {
                throw new ArgumentException($"{configPath}: nodeId is '{named}' but --node-id is '{nodeId}'; remove nodeId from the file or make them agree");
            }

            if (config.DataPath is { } folder && !string.Equals(folder, dataDirectory, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{configPath}: dataDirectory is '{folder}' but --data is '{dataDirectory}'; remove dataDirectory from the file or make them agree");
            }
        }

        return new NodeProcessOptions(new FarmClusterOptions { Host = host, Port = port, Seeds = seedList, Roles = [FarmClusterOptions.NodeRole] }, nodeId, dataDirectory)
        {
            Simulated = node,
            Config = config,
            ShutdownGrace = shutdownGrace,
        }.Validate();
    }
}

/// <summary>What <c>farm-node drives</c> does, apart from parsing.</summary>
internal static class NodeCommands
{
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
