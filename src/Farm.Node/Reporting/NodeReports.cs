using Farm.Messages;

namespace Farm.Node.Reporting;

// Between a node's persistent actors (recorders, towers) and the node's outbox; local, never serialized.

/// <summary>
/// A recorder or tower persisted <paramref name="Event"/> as number <paramref name="SequenceNr"/> of
/// <paramref name="SourceId"/>; sent to the node, which ships it to the controller through the outbox.
/// Sent again after recovery for every event replayed since the last snapshot (the controller
/// applies each (source, number) once).
/// </summary>
public sealed record EventPersisted(string SourceId, long SequenceNr, IFarmEvent Event);

/// <summary>
/// The controller confirmed the report of <paramref name="SequenceNr"/> (and so every earlier one
/// of <paramref name="SourceId"/>): it has persisted it, and the source may snapshot past it.
/// </summary>
public sealed record EventConfirmed(string SourceId, long SequenceNr);
