namespace Farm.Messages.Nodes;

/// <summary>One drive as its node last saw it, carried when the node registers.</summary>
/// <param name="State">The recorder's state name (Idle, Writing, Maintenance, Offline...).</param>
public sealed record DriveBeat(string DriveId, string State);

// The controller's record of nodes, in its own journal.

/// <summary>
/// A node registered with the controller from <paramref name="Address"/> (its cluster address).
/// Its drives come back as it reports them: an idle drive may be given work again; a drive still
/// finishing a superseded burn stays offline until it reports idle.
/// </summary>
public sealed record NodeJoined(string NodeId, string Address, DateTimeOffset JoinedAt, IReadOnlyList<DriveBeat> Drives) : IFarmEvent;

/// <summary>
/// The controller applied one event a node reported (see <see cref="Protocol.NodeReport"/>): the
/// node's event, with where it came from, so a report delivered twice is applied once.
/// </summary>
/// <param name="ReceivedAt">The controller's clock when it took the report (failure windows count in it).</param>
public sealed record NodeReported(string NodeId, string SourceId, long SequenceNr, IFarmEvent Event, DateTimeOffset ReceivedAt) : IFarmEvent;
