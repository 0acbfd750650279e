namespace Farm.Messages.Nodes;

/// <summary>One drive as its node last saw it, carried in the node's heartbeat.</summary>
/// <param name="State">The recorder's state name (Idle, Writing, Maintenance, Offline...).</param>
public sealed record DriveBeat(string DriveId, string State);

/// <summary>
/// A node is alive and its events are reaching the farm journal: appended to the node's stream
/// "node-{NodeId}" every heartbeat interval. The controller renews the node's lease when it reads
/// one (by its own clock, never the node's).
/// </summary>
public sealed record NodeHeartbeat(string NodeId, DateTimeOffset SentAt, IReadOnlyList<DriveBeat> Drives) : IFarmEvent;
