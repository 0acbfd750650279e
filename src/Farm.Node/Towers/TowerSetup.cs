using Farm.Device.Towers;
using Farm.Device.Transports;

namespace Farm.Node.Towers;

/// <summary>A drive the node runs: its id and how to open its transport (again, after a restart).</summary>
public sealed record DriveSetup(string DriveId, Func<CancellationToken, Task<IScsiTransport>> OpenTransport);

/// <summary>
/// A tower the node runs: how its robot is made from the tower's recovered history (a simulated
/// tower's bins are what its journal says; a media changer ignores it) and the drives its arm serves.
/// </summary>
public sealed record TowerSetup(string TowerId, Func<TowerHistory, ITowerRobot> Robot, IReadOnlyList<DriveSetup> Drives);
