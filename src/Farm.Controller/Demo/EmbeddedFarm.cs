using Farm.Controller.Scheduling;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Node.Actors;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Demo;

/// <summary>The embedded farm's shape: one node, one simulated tower, SQLite in a data folder.</summary>
public sealed record EmbeddedFarmOptions
{
    public required string DataDirectory { get; init; }

    public int Drives { get; init; } = 4;

    /// <summary>Simulated seconds per real second, for drives and the arm alike.</summary>
    public double TimeScale { get; init; } = 10;

    public string MediaType { get; init; } = "DVD+R";

    /// <summary>The simulated drives' write speed as a multiple of the medium's 1x; null: the medium's highest.</summary>
    public double? WriteSpeedX { get; init; }

    public int InputBlanks { get; init; } = 100;

    public string NodeId { get; init; } = "node-1";

    public string TowerId { get; init; } = "T1";

    public SupervisionOptions Supervision { get; init; } = SupervisionOptions.Default;

    public SchedulerOptions Scheduler { get; init; } = new();

    public EmbeddedFarmOptions Validate()
    {
        if (Drives is < 1 or > 64)
        {
            throw new ArgumentException($"--drives must be between 1 and 64, not {Drives}");
        }

        if (!(TimeScale >= 1) || double.IsInfinity(TimeScale))
        {
            throw new ArgumentException($"--time-scale must be a number of at least 1 (simulated seconds per real second), not {TimeScale}");
        }

        if (WriteSpeedX is { } speed && !(speed > 0 && double.IsFinite(speed)))
        {
            throw new ArgumentException($"--write-speed must be a positive multiple of the medium's 1x speed, not {speed}");
        }

        return this;
    }

    public static string DriveIdOf(string towerId, int number) => SimulatedTowerSpec.DriveIdOf(towerId, number);
}

/// <summary>
/// Controller, one node and one simulated tower of drives in one process, over one SQLite journal:
/// the README's demo and the end-to-end tests. The node and the controller still talk only through
/// the journal, exactly as they do on separate machines.
/// </summary>
public sealed class EmbeddedFarm : IAsyncDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];
    private readonly SqliteJournal journal;
    private readonly NodeHost node;

    private EmbeddedFarm(SqliteJournal journal, NodeHost node, FarmController controller, SimulatedTower tower, IReadOnlyDictionary<string, SimulatedDrive> drives)
    {
        this.journal = journal;
        this.node = node;
        Controller = controller;
        Tower = tower;
        Drives = drives;
    }

    public FarmController Controller { get; }

    public SimulatedTower Tower { get; }

    /// <summary>The simulated drives by id, for fault injection.</summary>
    public IReadOnlyDictionary<string, SimulatedDrive> Drives { get; }

    public IJournal Journal => journal;

    public NodeHost Node => node;

    /// <summary>The node's and the controller's loops; faults if either fails, so callers never wait on a dead farm.</summary>
    public Task Running => Task.WhenAll(loops);

    public static async Task<EmbeddedFarm> StartAsync(EmbeddedFarmOptions options, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var mediaFolder = Path.Combine(options.DataDirectory, "media");

        var journal = await SqliteJournal.OpenAsync(Path.Combine(options.DataDirectory, "farm.db"), time, cancellationToken).ConfigureAwait(false);
        var rig = await SimulatedTowerRig.BuildAsync(
            new SimulatedTowerSpec(options.TowerId, options.Drives, options.MediaType, options.InputBlanks, options.TimeScale, mediaFolder)
            {
                WriteSpeedX = options.WriteSpeedX,
                DriveName = n => $"sim:{options.MediaType}#{n}",
            },
            journal,
            time,
            cancellationToken).ConfigureAwait(false);
        var (tower, drives, setup) = (rig.Tower, rig.Drives, rig.Setup);
        var node = new NodeHost(
            options.NodeId,
            journal,
            [setup],
            time,
            options.Supervision,
            (nodeId, towerId, driveId) => new RecorderOptions { NodeId = nodeId, TowerId = towerId, DriveId = driveId },
            loggers);
        var controller = new FarmController(journal, time, options.Scheduler, loggers.CreateLogger<FarmController>());

        var farm = new EmbeddedFarm(journal, node, controller, tower, drives);
        farm.loops.Add(Task.Run(() => node.RunAsync(farm.stopping.Token), CancellationToken.None));
        farm.loops.Add(Task.Run(() => controller.RunAsync(farm.stopping.Token), CancellationToken.None));
        return farm;
    }

    public async ValueTask DisposeAsync()
    {
        // Loops first, actors after: a node loop that had not started yet when we were asked to
        // stop would otherwise start actors that are already stopped.
        await stopping.CancelAsync().ConfigureAwait(false);
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

        await node.DisposeAsync().ConfigureAwait(false);

        Tower.Dispose();
        foreach (var drive in Drives.Values)
        {
            await drive.DisposeAsync().ConfigureAwait(false);
        }

        await journal.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }
}
