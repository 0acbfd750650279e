using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// What the parts of a <see cref="SimulatedDrive"/> (<see cref="ModePages"/>,
/// <see cref="WriteSpeedSelection"/>, <see cref="DriveBuffer"/>) ask of the drive they belong to.
/// The drive has one lock; every part reads and changes its state under it, so a command sees
/// the disc, the buffer and the pages as one.
/// </summary>
internal interface IDriveCore
{
    /// <summary>The drive's one lock.</summary>
    Lock Sync { get; }

    /// <summary>The loaded disc, or null (read under <see cref="Sync"/>).</summary>
    SimulatedDisc? Disc { get; }

    /// <summary>True while PREVENT ALLOW MEDIUM REMOVAL holds the tray (read under <see cref="Sync"/>).</summary>
    bool RemovalPrevented { get; }

    /// <summary>
    /// Under <see cref="Sync"/>: the NOT READY answer while a long operation runs, 2/3A/00 without
    /// a disc when <paramref name="needsMedium"/>, else null.
    /// </summary>
    ScsiResult? NotReady(bool needsMedium = true);
}
