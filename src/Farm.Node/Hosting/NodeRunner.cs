using Farm.Device.Simulation;
using Farm.Device.Towers;
using Farm.Device.Transports;
using Farm.Device.Transports.Opening;
using Farm.Node.Configuration;
using Farm.Node.Recording;
using Farm.Node.Towers;

namespace Farm.Node.Hosting;

/// <summary>
/// The hardware of a node described by a <see cref="NodeConfig"/>: simulated towers and drives
/// (file-backed media in the data folder, so discs survive a restart; rebuilt from their journal
/// streams, so bins show what they held) and towers run by SCSI media changers with real drives.
/// </summary>
public static class NodeRunner
{
    /// <summary>The hardware <paramref name="config"/> describes; simulated media go to <paramref name="dataDirectory"/>/media.</summary>
    public static async Task<NodeHardware> BuildAsync(NodeConfig config, string dataDirectory, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var media = Path.Combine(dataDirectory, "media");
        Directory.CreateDirectory(media);
        var owned = new List<IAsyncDisposable>();
        var setups = new List<TowerSetup>();
        try
        {
            foreach (var tower in config.Towers!)
            {
                if (tower.ChangerDevice is { } changerDevice)
                {
                    var (changerRobot, changerTransport) = await OpenChangerAsync(tower, changerDevice, cancellationToken).ConfigureAwait(false);
                    owned.Add(changerTransport);
                    setups.Add(new TowerSetup(tower.Id!, _ => changerRobot, [.. tower.Drives!.Select(d => new DriveSetup(d.Id!, OpenDevice(d.Device!)))]));
                    continue;
                }

                var byId = tower.Drives!.ToDictionary(
                    d => d.Id!,
                    d => new SimulatedDrive(new SimulatedDriveOptions { Name = $"sim:{d.Simulate}:{d.Id}", TimeScale = config.TimeScale, WriteSpeedX = d.WriteSpeed }, time),
                    StringComparer.Ordinal);
                owned.AddRange(byId.Values);
                var defaults = new SimulatedTowerOptions { TowerId = tower.Id! };
                var options = defaults with
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
                };
                var towers = new BuiltTowers();
                owned.Insert(0, towers); // the towers stop before their drives are released

                // Built by the tower's actor from its recovered history, so the bins are what the journal says.
                setups.Add(new TowerSetup(tower.Id!, history => towers.Add(new SimulatedTower(options, byId, time, new SimulatedTowerState(history.Picked, history.Output, history.Reject, history.DiscInDrive))), [.. byId.Select(d => new DriveSetup(d.Key, _ => Task.FromResult<IScsiTransport>(new SimulatedDriveHandle(d.Value))))]));
            }
        }
        catch
        {
            foreach (var release in owned)
            {
                await release.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        return new NodeHardware(
            setups,
            (node, tower, drive) => new RecorderOptions
            {
                NodeId = node,
                TowerId = tower,
                DriveId = drive,
                ProgressInterval = config.ProgressInterval,
                ProgressBytes = config.ProgressBytes,
                EjectBeforeUnload = config.Towers!.Any(t => t.Id == tower && t.ChangerDevice is not null),
            },
            $"{config.Towers!.Count} tower(s), {config.Towers.Sum(t => t.Drives!.Count)} drive(s) from the configuration",
            owned);
    }

    /// <summary>
    /// A tower run by a SCSI media changer. INITIALIZE ELEMENT STATUS first: after a power cycle or
    /// a door opened by an operator a changer's inventory may be stale until it has scanned.
    /// </summary>
    private static async Task<(SmcTowerRobot Robot, IAsyncDisposable Transport)> OpenChangerAsync(TowerConfig tower, string device, CancellationToken cancellationToken)
    {
        var layout = LayoutOf(tower);
        IScsiTransport transport;
        try
        {
            transport = ScsiTransports.Open(device);
        }
        catch (Exception unreachable) when (unreachable is ScsiTransportException or ArgumentException)
        {
            throw new NodeHardwareException($"tower {tower.Id}: the media changer {device} cannot be opened: {unreachable.Message}", unreachable);
        }

        try
        {
            var changer = new SmcChanger(transport);
            await changer.InitializeElementStatusAsync(cancellationToken).ConfigureAwait(false);
            return (new SmcTowerRobot(changer, layout), new ChangerHandle(transport));
        }
        catch (Exception failed) when (failed is ScsiTransportException or Farm.Device.Errors.DeviceException or TowerException)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw new NodeHardwareException($"tower {tower.Id}: the media changer {device} did not take INITIALIZE ELEMENT STATUS: {failed.Message}", failed);
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
}

/// <summary>
/// The hardware a node drives: its towers and drives, how each drive's recorder is set up, a line
/// that describes it for the operator, and what to release when the node stops.
/// </summary>
public sealed record NodeHardware(
    IReadOnlyList<TowerSetup> Towers,
    Func<string, string, string, RecorderOptions> Recorder,
    string Description,
    IReadOnlyList<IAsyncDisposable> Owned);

/// <summary>Something synchronous to release when the node stops, in the shape of what it releases asynchronously.</summary>
internal sealed class Released(Action release) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        release();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The simulated towers a tower actor built (again after each restart), released with the node.</summary>
internal sealed class BuiltTowers : IAsyncDisposable
{
    private readonly List<SimulatedTower> _towers = [];

    public SimulatedTower Add(SimulatedTower tower)
    {
        lock (_towers)
        {
            _towers.Add(tower);
        }

        return tower;
    }

    public async ValueTask DisposeAsync()
    {
        List<SimulatedTower> built;
        lock (_towers)
        {
            built = [.. _towers];
            _towers.Clear();
        }

        foreach (var tower in built)
        {
            await tower.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Configured hardware the node cannot start with: which tower or drive, and why.</summary>
public sealed class NodeHardwareException : Exception
{
    public NodeHardwareException() { }

    public NodeHardwareException(string message) : base(message) { }

    public NodeHardwareException(string message, Exception inner) : base(message, inner) { }
}
