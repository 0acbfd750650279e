using Farm.Device.Simulation;
using Farm.Device.Towers;
using Farm.Device.Transports;
using Farm.Node.Actors;
using Farm.Node.Configuration;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>
/// A node built from a <see cref="NodeConfig"/>: the farm's journal, simulated towers and drives
/// (file-backed media in the data folder, so discs survive a restart), and the <see cref="NodeHost"/>
/// over them. Towers are rebuilt from their journal streams, so bins show what they held.
/// </summary>
public sealed class NodeRunner : IAsyncDisposable
{
    private readonly IJournal journal;
    private readonly List<SimulatedTower> towers;
    private readonly List<SimulatedDrive> drives;
    private readonly List<IAsyncDisposable> changers;

    private NodeRunner(NodeConfig config, IJournal journal, NodeHost host, List<SimulatedTower> towers, List<SimulatedDrive> drives, List<IAsyncDisposable> changers)
    {
        Config = config;
        this.journal = journal;
        Host = host;
        this.towers = towers;
        this.drives = drives;
        this.changers = changers;
    }

    public NodeConfig Config { get; }

    public NodeHost Host { get; }

    public static async Task<IJournal> OpenJournalAsync(NodeConfig config, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!JournalAddress.TryParse(config.Journal ?? "", out var address, out var problem))
        {
            throw new NodeConfigException($"journal: {problem}");
        }

        return address!.IsSqlite
            ? await SqliteJournal.OpenAsync(config.Resolve(address.Target), time, cancellationToken).ConfigureAwait(false)
            : await PostgresJournal.OpenAsync(address.Target, time, PostgresJournalOptions.Default, loggers.CreateLogger<PostgresJournal>(), cancellationToken).ConfigureAwait(false);
    }

    public static async Task<NodeRunner> CreateAsync(NodeConfig config, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        var media = Path.Combine(config.DataPath, "media");
        Directory.CreateDirectory(media);
        var journal = await OpenJournalAsync(config, time, loggers, cancellationToken).ConfigureAwait(false);
        var simulatedTowers = new List<SimulatedTower>();
        var simulatedDrives = new List<SimulatedDrive>();
        var setups = new List<TowerSetup>();
        var changers = new List<IAsyncDisposable>();
        foreach (var tower in config.Towers!)
        {
            if (tower.ChangerDevice is { } changerDevice)
            {
                var (changerRobot, changerTransport) = await OpenChangerAsync(tower, changerDevice, cancellationToken).ConfigureAwait(false);
                changers.Add(changerTransport);
                setups.Add(new TowerSetup(changerRobot, [.. tower.Drives!.Select(d => new DriveSetup(d.Id!, OpenDevice(d.Device!)))]));
                continue;
            }

            var past = await journal.ReadStreamAsync(TowerActor.StreamIdOf(tower.Id!), 1, cancellationToken).ConfigureAwait(false);
            var history = TowerHistory.Replay(past.Select(e => e.Event));
            var byId = tower.Drives!.ToDictionary(
                d => d.Id!,
                d => new SimulatedDrive(new SimulatedDriveOptions { Name = $"sim:{d.Simulate}:{d.Id}", TimeScale = config.TimeScale, WriteSpeedX = d.WriteSpeed }, time),
                StringComparer.Ordinal);
            simulatedDrives.AddRange(byId.Values);
            var defaults = new SimulatedTowerOptions { TowerId = tower.Id! };
            var robot = new SimulatedTower(
                defaults with
                {
                    MediaType = tower.Bins!.Input!.Media!,
                    InputCapacity = tower.Bins.Input.Capacity ?? defaults.InputCapacity,
                    OutputCapacity = tower.Bins.Output?.Capacity ?? defaults.OutputCapacity,
                    RejectCapacity = tower.Bins.Reject?.Capacity ?? defaults.RejectCapacity,
                    LoadDuration = Seconds(tower.LoadSeconds) ?? defaults.LoadDuration,
                    UnloadDuration = Seconds(tower.UnloadSeconds) ?? defaults.UnloadDuration,
                    PrintDuration = Seconds(tower.PrintSeconds) ?? defaults.PrintDuration,
                    HasPrinter = tower.Printer,
                    TimeScale = config.TimeScale,
                    MediaFolder = media,
                },
                byId,
                time,
                new SimulatedTowerState(history.Picked, history.Output, history.Reject, history.DiscInDrive));
            simulatedTowers.Add(robot);
            setups.Add(new TowerSetup(robot, [.. byId.Select(d => new DriveSetup(d.Key, _ => Task.FromResult<IScsiTransport>(new SimulatedDriveHandle(d.Value))))]));
        }

        var host = new NodeHost(
            config.NodeId!,
            journal,
            setups,
            time,
            SupervisionOptions.Default,
            (node, tower, drive) => new RecorderOptions
            {
                NodeId = node,
                TowerId = tower,
                DriveId = drive,
                ProgressInterval = config.ProgressInterval,
                ProgressBytes = config.ProgressBytes,
                EjectBeforeUnload = config.Towers!.Any(t => t.Id == tower && t.ChangerDevice is not null),
            },
            loggers);
        return new NodeRunner(config, journal, host, simulatedTowers, simulatedDrives, changers);
    }

    /// <summary>
    /// A tower run by a SCSI media changer. INITIALIZE ELEMENT STATUS first: after a power cycle or
    /// a door opened by an operator a changer's inventory may be stale until it has scanned.
    /// </summary>
    private static async Task<(SmcTowerRobot Robot, IAsyncDisposable Transport)> OpenChangerAsync(TowerConfig tower, string device, CancellationToken cancellationToken)
    {
        var layout = LayoutOf(tower);
        var transport = ScsiTransports.Open(device);
        try
        {
            var changer = new SmcChanger(transport);
            await changer.InitializeElementStatusAsync(cancellationToken).ConfigureAwait(false);
            return (new SmcTowerRobot(changer, layout), new ChangerHandle(transport));
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>How a validated tower's media changer serves as its bins and drives.</summary>
    public static SmcTowerLayout LayoutOf(TowerConfig tower)
    {
        ArgumentNullException.ThrowIfNull(tower);
        var slots = tower.Slots!;
        return new SmcTowerLayout(
            tower.Id!,
            tower.Drives!.ToDictionary(d => d.Id!, d => (ushort)d.Element!.Value, StringComparer.Ordinal),
            Slots(slots.Input),
            Slots(slots.Output),
            Slots(slots.Reject),
            tower.Bins!.Input!.Media!)
        {
            TransportElement = slots.Arm is { } arm ? (ushort)arm : null,
        };
    }

    /// <summary>A range the validator already accepted.</summary>
    private static SlotRange Slots(string? text) =>
        NodeConfigValidator.TryParseSlots(text, out var range, out var problem) ? range : throw new NodeConfigException(problem!);

    /// <summary>Each (re)start of a drive's actor opens its device afresh: a dead handle is never reused.</summary>
    private static Func<CancellationToken, Task<IScsiTransport>> OpenDevice(string device) => _ => Task.FromResult(ScsiTransports.Open(device));

    /// <summary>The changer's transport, closed with the node (the robot itself holds no handle of its own).</summary>
    private sealed class ChangerHandle(IScsiTransport transport) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => transport.DisposeAsync();
    }

    private static TimeSpan? Seconds(double? seconds) => seconds is { } value ? TimeSpan.FromSeconds(value) : null;

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync().ConfigureAwait(false);
        foreach (var tower in towers)
        {
            tower.Dispose();
        }

        foreach (var drive in drives)
        {
            await drive.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var changer in changers)
        {
            await changer.DisposeAsync().ConfigureAwait(false);
        }

        await journal.DisposeAsync().ConfigureAwait(false);
    }
}
