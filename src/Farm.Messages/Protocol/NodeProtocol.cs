using Akka.Actor;
using Farm.Messages.Nodes;

namespace Farm.Messages.Protocol;

// Between a node (its NodeActor) and the farm controller singleton.

/// <summary>
/// A node announces itself to the controller singleton (through the singleton's proxy), on start and
/// again whenever the singleton moves, until it is answered. <paramref name="Node"/> is where the
/// controller sends assignments, aborts and operator commands; <paramref name="Producer"/> is the
/// node's Akka.Delivery ProducerController, which the controller's ConsumerController registers with.
/// </summary>
public sealed record RegisterNode(string NodeId, IActorRef Node, IActorRef Producer, IReadOnlyList<DriveBeat> Drives) : IFarmMessage;

/// <summary>
/// A node whose cluster has no reachable controller, to the first seed controller: join this
/// cluster through me (<paramref name="MemberAddress"/>, an Akka address). A controller started
/// again in place takes it while it is not yet a member, instead of forming a cluster of its own
/// that the node's cluster would never meet; a member ignores it.
/// </summary>
public sealed record JoinThisCluster(string MemberAddress) : IFarmMessage;

/// <summary>The controller accepted the node (and persisted that it joined).</summary>
public sealed record NodeRegistered(string NodeId) : IFarmMessage;

/// <summary>The controller refused the node: its id belongs to another live member of the cluster.</summary>
public sealed record NodeRefused(string NodeId, string Reason) : IFarmMessage;

/// <summary>
/// One event a node persisted in its local journal (a drive's or a tower's), on its way to the
/// controller by Akka.Delivery. <paramref name="SourceId"/> is the persistent actor's id on the node
/// ("drive-D1"), <paramref name="SequenceNr"/> the event's sequence number there: the controller
/// applies each (source, number) once, however often it is delivered.
/// </summary>
public sealed record NodeReport(string NodeId, string SourceId, long SequenceNr, IFarmEvent Event) : IFarmMessage;

/// <summary>
/// The reports a node's outbox had waiting when it could send (at most
/// <see cref="MaxReports"/>), in the order the node persisted them: one Akka.Delivery message, so
/// the controller persists them all in one journal write instead of one write each. The controller
/// confirms the batch once every report in it is persisted (or known), and applies each (source,
/// sequence number) once, in order per source, as if they had come one by one.
/// </summary>
public sealed record NodeReportBatch(IReadOnlyList<NodeReport> Reports) : IFarmMessage
{
    /// <summary>
    /// The most reports in one batch: a node with 10 drives and a tower has well under this many
    /// waiting behind one controller write, and 64 reports of a few hundred bytes each stay far
    /// below Akka.Remote's default maximum frame size (128,000 bytes).
    /// </summary>
    public const int MaxReports = 64;
}

/// <summary>What an operator asks of a drive, passed by the controller to the drive's node.</summary>
public enum DriveAction
{
    Pause = 0,
    Resume = 1,
    EnterMaintenance = 2,
    LeaveMaintenance = 3,
}

/// <summary>An operator's command for one drive, delivered to the node that runs it.</summary>
public sealed record DriveCommand(string DriveId, DriveAction Action, string By, string Why) : IFarmMessage;

/// <summary>
/// A drive's live figures, sent by its node to the controller about once a second while it burns
/// (never persisted: only the coarse sector progress in the node's journal survives a crash).
/// <paramref name="BufferFill"/> is the host FIFO's fill (0 to 1), <paramref name="DriveBufferFill"/>
/// the drive's own buffer at its last READ BUFFER CAPACITY (null before the first; older nodes lack it).
/// </summary>
public sealed record DriveLive(string DriveId, string State, long LastWrittenLba, long TotalBlocks, double CurrentBytesPerSecond, double BufferFill, double? DriveBufferFill = null) : IFarmMessage;

/// <summary>
/// What a node read from disk for one image over every burn of it since the node started
/// (its shared image reads): one image's size in <paramref name="DiskBytesRead"/> when all its
/// drives shared one read. <paramref name="DetachedDrives"/> read (part of) it on their own (late,
/// or fallen behind); <paramref name="ActiveDrives"/> read it now.
/// </summary>
public sealed record ImageReadFigures(string Path, long ImageBytes, long DiskBytesRead, int Drives, int DetachedDrives, int ActiveDrives);

/// <summary>
/// A node's per-image read figures, sent to the controller every live interval while they change
/// (drives reading) and once more when an image's last drive is done; never persisted.
/// </summary>
public sealed record NodeImageReads(string NodeId, IReadOnlyList<ImageReadFigures> Images) : IFarmMessage;

/// <summary>
/// A drive verified a disc and holds it in the drive until the controller singleton says whether it
/// counts: whether <paramref name="Attempt"/> of the copy is still this drive's (its node was not
/// declared lost meanwhile, the copy not re-queued) and the copy still wanted. Accepting it, the
/// controller persists <see cref="Jobs.CopyVerified"/> first; it answers with
/// <see cref="VerifiedDiscAnswer"/>, and answers a claim it accepted before the same way again.
/// The drive asks again until it is answered or its patience is over (then the disc is rejected).
/// </summary>
public sealed record VerifiedDiscClaim(string NodeId, string DriveId, string JobId, int Copy, int Attempt, string DiscId, string? Sha256) : IFarmMessage;

/// <summary>The controller's answer to a <see cref="VerifiedDiscClaim"/>: counted (output bin) or not, and why not (reject bin, with the reason).</summary>
public sealed record VerifiedDiscAnswer(string JobId, int Copy, int Attempt, bool Counted, string? Why) : IFarmMessage;
