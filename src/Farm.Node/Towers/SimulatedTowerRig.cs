using Farm.Device.Simulation;
using Farm.Device.Transports;

namespace Farm.Node.Towers;

/// <summary>What a simulated tower of drives is made of; durations follow <see cref="TimeScale"/>.</summary>
public sealed record SimulatedTowerSpec(string TowerId, int Drives, string MediaType, int InputBlanks, double TimeScale, string MediaFolder)
{
    /// <summary>The drives' top write speed (a multiple of 1x); null for the medium's rating.</summary>
    public double? WriteSpeedX { get; init; }

    /// <summary>Arm time per load and per unload (simulated); null for the tower's defaults (8 s, 6 s).</summary>
    public TimeSpan? LoadDuration { get; init; }

    public TimeSpan? UnloadDuration { get; init; }

    /// <summary>The drives' power-on BUFE (buffer-underrun-free recording); off, a starved drive ruins its disc.</summary>
    public bool BufferUnderrunFree { get; init; } = true;

    /// <summary>Discs keep nothing written to them (benchmarks: no verify possible).</summary>
    public bool DiscardMedia { get; init; }

    /// <summary>The tower has a disc printer (as PTBurn-style towers do), so labelled jobs may go to it.</summary>
    public bool HasPrinter { get; init; } = true;
    /// <summary>Runs on each disc taken from the input bin before it is loaded (tests: appendable discs that hold a session); null: blanks.</summary>
    public Func<SimulatedDisc, CancellationToken, Task>? PrepareInput { get; init; }

    /// <summary>The SCSI name of drive <c>n</c> (1-based), as messages show it.</summary>
    public Func<int, string> DriveName { get; init; } = n => $"sim:drive#{n}";

    public static string DriveIdOf(string towerId, int number) => $"{towerId}-D{number}";
}

/// <summary>
/// One simulated tower and its drives. The tower itself is built by its TowerActor from the
/// tower's recovered history, so a restarted node finds its bins (and the disc left in each drive)
/// as they were. Used by the embedded demo and by <c>farm-node --simulate</c>.
/// </summary>
public sealed class SimulatedTowerRig : IAsyncDisposable
{
    private readonly List<SimulatedTower> _built = [];
    private readonly TaskCompletionSource<SimulatedTower> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SimulatedTowerRig(IReadOnlyDictionary<string, SimulatedDrive> drives, TowerSetup setup)
    {
        Drives = drives;
        Setup = setup;
    }

    public IReadOnlyDictionary<string, SimulatedDrive> Drives { get; }

    public TowerSetup Setup { get; private set; }

    /// <summary>The tower, once its actor recovered and built it.</summary>
    public Task<SimulatedTower> Tower => _first.Task;

    public static SimulatedTowerRig Build(SimulatedTowerSpec spec, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Directory.CreateDirectory(spec.MediaFolder);
        var drives = Enumerable.Range(1, spec.Drives).ToDictionary(
            n => SimulatedTowerSpec.DriveIdOf(spec.TowerId, n),
            n => new SimulatedDrive(
                new SimulatedDriveOptions { Name = spec.DriveName(n), SerialNumber = $"SIM{n:D7}", TimeScale = spec.TimeScale, WriteSpeedX = spec.WriteSpeedX, BufferUnderrunFree = spec.BufferUnderrunFree },
                time),
            StringComparer.Ordinal);
        var options = new SimulatedTowerOptions
        {
            TowerId = spec.TowerId,
            MediaType = spec.MediaType,
            InputCapacity = spec.InputBlanks,
            OutputCapacity = Math.Max(100, spec.InputBlanks),
            RejectCapacity = Math.Max(50, spec.InputBlanks),
            TimeScale = spec.TimeScale,
            MediaFolder = spec.MediaFolder,
            DiscardMedia = spec.DiscardMedia,
            HasPrinter = spec.HasPrinter,
            PrepareInput = spec.PrepareInput,
        };
        var defaults = new SimulatedTowerOptions { TowerId = spec.TowerId };
        options = options with
        {
            LoadDuration = spec.LoadDuration ?? defaults.LoadDuration,
            UnloadDuration = spec.UnloadDuration ?? defaults.UnloadDuration,
        };
        var rig = new SimulatedTowerRig(drives, null!);
        rig.Setup = new TowerSetup(
            spec.TowerId,
            history => rig.Remember(new SimulatedTower(options, drives, time, new SimulatedTowerState(history.Picked, history.Output, history.Reject, history.DiscInDrive))),
            [.. drives.Select(d => new DriveSetup(d.Key, _ => Task.FromResult<IScsiTransport>(new SimulatedDriveHandle(d.Value))))]);
        return rig;
    }

    private SimulatedTower Remember(SimulatedTower tower)
    {
        lock (_built)
        {
            _built.Add(tower);
        }

        _first.TrySetResult(tower);
        return tower;
    }

    public async ValueTask DisposeAsync()
    {
        List<SimulatedTower> towers;
        lock (_built)
        {
            towers = [.. _built];
            _built.Clear();
        }

        foreach (var tower in towers)
        {
            await tower.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var drive in Drives.Values)
        {
            await drive.DisposeAsync().ConfigureAwait(false);
        }
    }
}
