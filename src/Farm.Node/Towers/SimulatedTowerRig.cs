using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Node.Hosting;
using Farm.Node.Journal;

namespace Farm.Node.Towers;

/// <summary>What a simulated tower of drives is made of; durations follow <see cref="TimeScale"/>.</summary>
public sealed record SimulatedTowerSpec(string TowerId, int Drives, string MediaType, int InputBlanks, double TimeScale, string MediaFolder)
{
    /// <summary>The drives' top write speed (a multiple of 1x); null for the medium's rating.</summary>
    public double? WriteSpeedX { get; init; }

    /// <summary>The SCSI name of drive <c>n</c> (1-based), as messages show it.</summary>
    public Func<int, string> DriveName { get; init; } = n => $"sim:drive#{n}";

    public static string DriveIdOf(string towerId, int number) => $"{towerId}-D{number}";
}

/// <summary>
/// One simulated tower and its drives, rebuilt from the tower's stream in the journal so a
/// restarted node finds its bins (and the disc left in each drive) as they were. Used by the
/// embedded demo and by <c>farm-node --simulate</c>.
/// </summary>
public sealed record SimulatedTowerRig(SimulatedTower Tower, IReadOnlyDictionary<string, SimulatedDrive> Drives, TowerSetup Setup)
{
    public static async Task<SimulatedTowerRig> BuildAsync(SimulatedTowerSpec spec, IJournal journal, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(journal);
        Directory.CreateDirectory(spec.MediaFolder);
        var past = await journal.ReadStreamAsync(TowerActor.StreamIdOf(spec.TowerId), 1, cancellationToken).ConfigureAwait(false);
        var history = TowerHistory.Replay(past.Select(e => e.Event));
        var drives = Enumerable.Range(1, spec.Drives).ToDictionary(
            n => SimulatedTowerSpec.DriveIdOf(spec.TowerId, n),
            n => new SimulatedDrive(
                new SimulatedDriveOptions { Name = spec.DriveName(n), SerialNumber = $"SIM{n:D7}", TimeScale = spec.TimeScale, WriteSpeedX = spec.WriteSpeedX },
                time),
            StringComparer.Ordinal);
        var tower = new SimulatedTower(
            new SimulatedTowerOptions
            {
                TowerId = spec.TowerId,
                MediaType = spec.MediaType,
                InputCapacity = spec.InputBlanks,
                OutputCapacity = Math.Max(100, spec.InputBlanks),
                RejectCapacity = Math.Max(50, spec.InputBlanks),
                TimeScale = spec.TimeScale,
                MediaFolder = spec.MediaFolder,
            },
            drives,
            time,
            new SimulatedTowerState(history.Picked, history.Output, history.Reject, history.DiscInDrive));
        var setup = new TowerSetup(tower, [.. drives.Select(d => new DriveSetup(d.Key, _ => Task.FromResult<IScsiTransport>(new SimulatedDriveHandle(d.Value))))]);
        return new SimulatedTowerRig(tower, drives, setup);
    }
}
