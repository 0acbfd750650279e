using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Farm.Device.Mmc;
using Farm.Messages.Serialization;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Node.Images;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Node.Hosting;

/// <summary>One simulated tower of <paramref name="Drives"/> drives (<c>farm-node --simulate</c>).</summary>
public sealed record SimulatedNode(int Drives, double TimeScale, string MediaType, int InputBlanks, double? WriteSpeedX)
{
    /// <summary>Simulated seconds the arm takes per load / unload (<c>--load-seconds</c>, <c>--unload-seconds</c>); null: 8 / 6.</summary>
    public double? LoadSeconds { get; init; }

    public double? UnloadSeconds { get; init; }

    /// <summary>The drives' power-on BUFE (<c>--buffer-underrun-free on|off</c>); off, a starved drive loses its disc.</summary>
    public bool BufferUnderrunFree { get; init; } = true;

    /// <summary>Discs keep nothing (<c>--discard-media</c>): for benchmarks, with jobs that do not verify.</summary>
    public bool DiscardMedia { get; init; }

    public SimulatedNode Validate()
    {
        foreach (var (name, seconds) in new[] { ("--load-seconds", LoadSeconds), ("--unload-seconds", UnloadSeconds) })
        {
            if (seconds is { } value && !(value >= 0 && value <= 3600))
            {
                throw new ArgumentException($"{name} must be between 0 and 3600 simulated seconds, not {value}");
            }
        }

        if (Drives is < 1 or > 64)
        {
            throw new ArgumentException($"--simulate must be between 1 and 64 drives, not {Drives}");
        }

        if (!(TimeScale >= 1) || double.IsInfinity(TimeScale))
        {
            throw new ArgumentException($"--time-scale must be a number of at least 1 (simulated seconds per real second), not {TimeScale}");
        }

        if (!Profiles.TryParse(MediaType, out _))
        {
            throw new ArgumentException($"--media '{MediaType}' is not a medium this farm knows; use one of {string.Join(", ", Profiles.All.Select(p => p.Name))}");
        }

        if (InputBlanks is < 0 or > 100_000)
        {
            throw new ArgumentException($"--blanks must be between 0 and 100000, not {InputBlanks}");
        }

        if (WriteSpeedX is { } speed && !(speed > 0 && speed <= 64))
        {
            throw new ArgumentException($"--write-speed must be a multiple of 1x above 0 and at most 64, not {speed}");
        }

        return this;
    }
}

/// <summary>What a <c>farm-node</c> process runs: where it sits in the cluster, its id and folder, its hardware.</summary>
public sealed record NodeProcessOptions(FarmClusterOptions Cluster, string NodeId, string DataDirectory)
{
    /// <summary>One simulated tower (<c>--simulate</c>), or null with <see cref="Config"/>.</summary>
    public SimulatedNode? Simulated { get; init; }

    /// <summary>The towers of node.json (<c>--config</c>), or null with <see cref="Simulated"/>.</summary>
    public NodeConfig? Config { get; init; }

    /// <summary>On Ctrl+C, how long burns in progress may run on before they are cut short (their position kept).</summary>
    public TimeSpan ShutdownGrace { get; init; }

    public bool Verbose { get; init; }

    /// <summary>The shared image ring per image being burned (<c>--image-ring-mib</c>); null: <see cref="NodeSetup.DefaultImages"/>.</summary>
    public int? ImageRingMiB { get; init; }

    /// <summary>Fetching images the node cannot open from the controllers (<c>--farm</c>, <c>--token</c>, <c>--image-cache</c>, <c>--fetch-images</c>); null: none.</summary>
    public ImageFetchOptions? ImageFetch { get; init; }

    public NodeProcessOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Cluster);
        if (ImageRingMiB is { } ring && ring is < 1 or > 1024)
        {
            throw new ArgumentException($"--image-ring-mib must be between 1 and 1024 (MiB of one image held in memory while drives burn it), not {ring}");
        }

        if ((Simulated is null) == (Config is null))
        {
            throw new ArgumentException("a node runs either a simulated tower or the towers of a configuration");
        }

        _ = new NodeSetup(NodeId, DataDirectory, [], (_, _, _) => null!).Validate();
        return this;
    }
}

/// <summary>
/// A farm-node process: one ActorSystem on the .NET Generic Host (Akka.Hosting), a member of the
/// farm's cluster with role "node", the controller singleton's proxy, and the node's actors
/// (<see cref="FarmNodeHosting.AddFarmNode"/>). It runs until Ctrl+C (exit 0), until the cluster
/// downs it (exit 1, so a supervisor starts it again), or until the controller refuses its id (exit 2).
/// </summary>
public static partial class NodeProcess
{
    public static async Task<int> RunAsync(NodeProcessOptions options, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        Directory.CreateDirectory(options.DataDirectory);
        NodeHardware hardware;
        try
        {
            hardware = await BuildHardwareAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (NodeHardwareException bad)
        {
            await errors.WriteLineAsync($"farm-node {options.NodeId}: {bad.Message}; check the tower's \"robot\" in the configuration and that the changer is on and reachable").ConfigureAwait(false);
            return 2;
        }

        try
        {
            return await RunHostAsync(options, hardware, output, errors, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var owned in hardware.Owned)
            {
                await owned.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunHostAsync(NodeProcessOptions options, NodeHardware hardware, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var setup = new NodeSetup(options.NodeId, options.DataDirectory, hardware.Towers, hardware.Recorder)
        {
            Images = options.ImageRingMiB is { } ring ? NodeSetup.DefaultImages with { RingBytes = ring * 1024 * 1024 } : NodeSetup.DefaultImages,
            ImageFetch = options.ImageFetch,
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Information : LogLevel.Warning);
        builder.Services.AddAkka(FarmClusterOptions.SystemName, (akka, _) => akka
            .AddHocon(options.Cluster.ToHocon(), HoconAddMode.Prepend)
            .AddHocon(FarmSerializer.Hocon, HoconAddMode.Prepend)
            .WithSingletonProxy<FarmControllerKey>(FarmControllerKey.SingletonName, new ClusterSingletonOptions { Role = FarmClusterOptions.ControllerRole })
            .AddFarmNode(setup)
            .WithActors((system, _, resolver) => system.ActorOf(
                JoinWatch.Props(options.Cluster.JoinPatience, (resolver.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<JoinWatch>()), "join-watch")));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var system = host.Services.GetRequiredService<ActorSystem>();
        await output.WriteLineAsync($"farm-node {options.NodeId}: {hardware.Description}, cluster {options.Cluster.Host}:{options.Cluster.Port}, seeds {string.Join(",", options.Cluster.Seeds)}, data {options.DataDirectory}").ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => stopped.TrySetResult()).ConfigureAwait(false))
        {
            await Task.WhenAny(system.WhenTerminated, stopped.Task).ConfigureAwait(false);
        }

        if (!system.WhenTerminated.IsCompleted)
        {
            // Ctrl+C / SIGTERM: burns get the grace period, then are cut short with their position persisted.
            await StopDrivesAsync(host, options.ShutdownGrace).ConfigureAwait(false);
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync($"farm-node {options.NodeId}: stopped").ConfigureAwait(false);
            return 0;
        }

        var reason = CoordinatedShutdown.Get(system).ShutdownReason;
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        switch (reason)
        {
            case NodeRefusedReason refused:
                await errors.WriteLineAsync($"farm-node: the controller refused node id '{refused.NodeId}': {refused.Why}; give this node another --node-id, or stop the other process that uses it").ConfigureAwait(false);
                return 2;
            case NodeRestartReason restart:
                await errors.WriteLineAsync($"farm-node {options.NodeId}: {restart}; exiting so its supervisor starts it again {restart.AfterRestart}").ConfigureAwait(false);
                return 1;
            case CoordinatedShutdown.ClusterDowningReason:
                await errors.WriteLineAsync($"farm-node {options.NodeId}: the cluster downed this node (unreachable too long, or split from the majority); exiting so its supervisor starts it again").ConfigureAwait(false);
                return 1;
            default:
                await errors.WriteLineAsync($"farm-node {options.NodeId}: the actor system stopped ({reason?.GetType().Name ?? "no reason given"}); exiting").ConfigureAwait(false);
                return 1;
        }
    }

    private static async Task StopDrivesAsync(IHost host, TimeSpan grace)
    {
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        if (!registry.TryGet<NodeActor>(out var node))
        {
            return;
        }

        try
        {
            if (grace > TimeSpan.Zero)
            {
                await node.Ask<NodeActor.DrivesStopped>(new NodeActor.StopDrives(CutBurnsShort: false), grace).ConfigureAwait(false);
                return;
            }
        }
        catch (AskTimeoutException)
        {
            // The grace is over: cut what still burns short.
        }

        try
        {
            await node.Ask<NodeActor.DrivesStopped>(new NodeActor.StopDrives(CutBurnsShort: true), TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            // Stopping anyway: the journal holds the last persisted positions.
        }
    }

    private static async Task<NodeHardware> BuildHardwareAsync(NodeProcessOptions options, CancellationToken cancellationToken)
    {
        if (options.Config is { } config)
        {
            return await NodeRunner.BuildAsync(config, options.DataDirectory, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }

        var simulated = options.Simulated!;
        var towerId = $"{options.NodeId}-T1";
        var rig = SimulatedTowerRig.Build(
            new SimulatedTowerSpec(towerId, simulated.Drives, simulated.MediaType, simulated.InputBlanks, simulated.TimeScale, Path.Combine(options.DataDirectory, "media"))
            {
                WriteSpeedX = simulated.WriteSpeedX,
                DriveName = n => $"sim:{options.NodeId}/{n}",
                LoadDuration = simulated.LoadSeconds is { } load ? TimeSpan.FromSeconds(load) : null,
                UnloadDuration = simulated.UnloadSeconds is { } unload ? TimeSpan.FromSeconds(unload) : null,
                BufferUnderrunFree = simulated.BufferUnderrunFree,
                DiscardMedia = simulated.DiscardMedia,
            },
            TimeProvider.System);
        return new NodeHardware(
            [rig.Setup],
            (nodeId, tower, driveId) => new RecorderOptions
            {
                NodeId = nodeId,
                TowerId = tower,
                DriveId = driveId,
                Writer = new Farm.Device.Writing.DataWriterOptions { BufferUnderrunFree = simulated.BufferUnderrunFree },
            },
            $"{simulated.Drives} simulated {simulated.MediaType} drives in tower {towerId}",
            [rig]);
    }
}
