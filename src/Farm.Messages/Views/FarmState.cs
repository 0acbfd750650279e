using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Farm.Messages;
using Farm.Messages.Jobs;

namespace Farm.Messages.Views;

public enum JobStatus
{
    Running = 0,
    Completed = 1,
    Failed = 2,

    /// <summary>An operator held it: nothing more is assigned; burns in flight finish and count.</summary>
    Held = 3,

    /// <summary>An operator cancelled it: nothing more is assigned; burns in flight finish or are aborted.</summary>
    Cancelled = 4,
}

public enum CopyStatus
{
    /// <summary>Waiting for an idle drive with the right media.</summary>
    Pending = 0,

    /// <summary>A drive has it (from CopyAssigned until the disc is binned or the attempt fails).</summary>
    Assigned = 1,

    /// <summary>Verified and in an output bin: it counts.</summary>
    Verified = 2,

    /// <summary>Never burned: its job was cancelled or failed first.</summary>
    Abandoned = 3,
}

/// <summary>
/// What a drive reported about its attempt at a copy, waiting for the controller to record it as a
/// decision (CopyVerified, or CopyFailed and CopyRequeued).
/// </summary>
public sealed record AttemptOutcome(bool Verified, string? Sha256, string? DiscId, FailureReason? Failure);

/// <summary>
/// One copy of a job (one disc of a set, for collated sets): which attempt it is on, where, how far
/// its burn got, and which drive to avoid after a failure.
/// </summary>
public sealed record CopyState(int Copy, CopyStatus Status, int Attempt, string? DriveId, string? AvoidDriveId, string? Sha256, AttemptOutcome? Outcome = null)
{
    /// <summary>The burn's last reported step (Assigned, Loaded, Writing, Closing, Verifying...), null while pending.</summary>
    public string? Phase { get; init; }

    public long LastWrittenLba { get; init; } = -1;

    public long TotalBlocks { get; init; }

    /// <summary>The controller already asked the node to abort this attempt.</summary>
    public bool AbortRequested { get; init; }
}

/// <summary>A job as the controller sees it, rebuilt from the journal.</summary>
public sealed record JobState(
    string JobId,
    string ImagePath,
    long ImageBlocks,
    int Copies,
    VerifyMode Verify,
    string MediaType,
    int Priority,
    DateTimeOffset SubmittedAt,
    JobStatus Status,
    ImmutableSortedDictionary<int, CopyState> CopyStates,
    int Rejected,
    ImmutableList<FailureReason> Failures,
    string? Why)
{
    public JobSource Source { get; init; } = new(SourceKind.Image, ImagePath);

    public LabelSpec? Label { get; init; }

    /// <summary>The image's SHA-256 computed at submit (<see cref="JobSubmitted.ImageSha256"/>); null when not known.</summary>
    public string? ImageSha256 { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    /// <summary>This job's limit, or null for the farm's.</summary>
    public int? MaxAttemptsPerCopy { get; init; }

    /// <summary>For a cancelled job: whether burns in flight are aborted.</summary>
    public bool AbortInFlight { get; init; }

    /// <summary>Discs the job needs verified: copies, or sets times discs per set.</summary>
    public int Discs => CopyStates.Count;

    public int DiscsPerSet => Source.Kind == SourceKind.CollatedSet && Source.SetImages is { Count: > 0 } images ? images.Count : 1;

    /// <summary>An interrupted disc on rewritable media may be resumed (passed on in each CopyAssigned).</summary>
    public bool AllowResume { get; init; }

    public int Verified => CopyStates.Values.Count(c => c.Status == CopyStatus.Verified);

    public int InFlight => CopyStates.Values.Count(c => c.Status == CopyStatus.Assigned);

    /// <summary>Nothing more will happen to it: completed, failed, or cancelled with nothing left in flight.</summary>
    public bool IsFinished => Status is JobStatus.Completed or JobStatus.Failed || (Status == JobStatus.Cancelled && InFlight == 0);

    /// <summary>The image and blocks of one copy (disc of a set, for collated sets).</summary>
    public SetImage ImageOf(int copy)
    {
        if (Source.Kind == SourceKind.CollatedSet && Source.SetImages is { Count: > 0 } images)
        {
            return images[(copy - 1) % images.Count];
        }

        return new SetImage(ImagePath, ImageBlocks, ImageSha256);
    }
}

/// <summary>What a drive is doing, as far as the controller knows.</summary>
public enum DriveStatus
{
    Offline = 0,
    Idle = 1,
    Busy = 2,
    Maintenance = 3,

    /// <summary>Held by an operator, by its own need for a person, or by its tower's alert.</summary>
    Paused = 4,
}

/// <summary>
/// A drive's view for scheduling and the console: its node and tower, what it is doing and how far
/// it got. <see cref="Phase"/> is the recorder's last reported step (Loading, Writing, Verifying...).
/// </summary>
public sealed record DriveView(
    string DriveId,
    string NodeId,
    string TowerId,
    string Product,
    DriveStatus Status,
    string Phase,
    string? JobId,
    int Copy,
    int Attempt,
    long LastWrittenLba,
    long TotalBlocks,
    double BytesPerSecond,
    string? LastError,
    int Failures)
{
    /// <summary>When this drive's recent burns failed (journal time), for the failure window.</summary>
    public ImmutableList<DateTimeOffset> FailureTimes { get; init; } = [];

    /// <summary>The drive's own buffer fill (0 to 1) as its node last said while it writes (live, never persisted); null when the drive has not said.</summary>
    public double? DriveBufferFill { get; init; }

    /// <summary>The host FIFO's fill (0 to 1) as the node last said while the drive writes (live, never persisted).</summary>
    public double FifoFill { get; init; }
}

/// <summary>A tower's bins as last reported.</summary>
public sealed record TowerView(string TowerId, int InputBlanks, string InputMediaType, int Output, int Reject, string? Alert)
{
    /// <summary>The tower can print disc labels (its node drives a printer on it), as it last reported.</summary>
    public bool CanPrintLabels { get; init; }
}

/// <summary>
/// A node as the controller knows it: when it last joined (the controller's clock), the cluster
/// address it joined from, and whether the cluster has since removed it (then its drives are
/// offline and its copies in flight were re-queued).
/// </summary>
public sealed record NodeView(string NodeId, DateTimeOffset LastSeen, bool Lost)
{
    /// <summary>The node's Akka address (akka.tcp://farm@host:port) when it last registered.</summary>
    public string? Address { get; init; }

    /// <summary>
    /// What the node read from disk per image, as it last sent (<see cref="Protocol.NodeImageReads"/>):
    /// live figures, empty until the node's first send after it joined.
    /// </summary>
    public IReadOnlyList<Protocol.ImageReadFigures> ImageReads { get; init; } = [];
}

/// <summary>The controller's whole projection of the farm. Immutable: every event yields a new one.</summary>
public sealed record FarmState(
    ImmutableSortedDictionary<string, JobState> Jobs,
    ImmutableSortedDictionary<string, DriveView> Drives,
    ImmutableSortedDictionary<string, TowerView> Towers,
    long LastOrdering) : IFarmMessage
{
    public static readonly FarmState Empty = new(
        ImmutableSortedDictionary.Create<string, JobState>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, DriveView>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, TowerView>(StringComparer.Ordinal),
        0);

    /// <summary>Nodes that registered with the controller.</summary>
    public ImmutableSortedDictionary<string, NodeView> Nodes { get; init; } = ImmutableSortedDictionary.Create<string, NodeView>(StringComparer.Ordinal);

    /// <summary>
    /// Per source stream on a node ("drive-D1", "tower-T1"): the highest sequence number of its
    /// events the controller has applied. A report delivered again (after a failover, a node
    /// restart) carries a number at or below it and changes nothing.
    /// </summary>
    public ImmutableSortedDictionary<string, long> AppliedReports { get; init; } = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);

    /// <summary>The alerts standing now, by id.</summary>
    public ImmutableSortedDictionary<string, AlertState> Alerts { get; init; } = ImmutableSortedDictionary.Create<string, AlertState>(StringComparer.Ordinal);

    /// <summary>
    /// What the scheduler looks up instead of scanning the farm: kept by <see cref="WithJob"/>,
    /// <see cref="WithDrive"/> and <see cref="WithNode"/>; built again from the collections when they
    /// were replaced another way (a snapshot loaded, a state built by hand). Never serialized.
    /// </summary>
    [JsonIgnore]
    public FarmIndex Index => KeptIndex is { } kept && kept.Indexes(this) ? kept : FarmIndex.Build(this);

    private FarmIndex? KeptIndex { get; init; }

    /// <summary>The state with its index built, so the decisions on it do not each build it again (a state loaded from a snapshot).</summary>
    public FarmState Indexed() => KeptIndex is { } kept && kept.Indexes(this) ? this : this with { KeptIndex = FarmIndex.Build(this) };

    /// <summary>The state with <paramref name="job"/> set (added or replaced), its index kept; only <paramref name="changedCopy"/> of its copies changed, when given.</summary>
    public FarmState WithJob(JobState job, int? changedCopy = null)
    {
        ArgumentNullException.ThrowIfNull(job);
        var index = Index.Job(Jobs.GetValueOrDefault(job.JobId), job, changedCopy);
        var next = this with { Jobs = Jobs.SetItem(job.JobId, job) };
        return next with { KeptIndex = index.For(next) };
    }

    /// <summary>The state with <paramref name="drive"/> set (added or replaced), its index kept.</summary>
    public FarmState WithDrive(DriveView drive)
    {
        ArgumentNullException.ThrowIfNull(drive);
        var index = Index;
        if (Drives.TryGetValue(drive.DriveId, out var before))
        {
            index = index.Drive(before, -1);
        }

        var next = this with { Drives = Drives.SetItem(drive.DriveId, drive) };
        return next with { KeptIndex = index.Drive(drive, +1).For(next) };
    }

    /// <summary>The state with <paramref name="node"/> set (added or replaced), its index kept.</summary>
    public FarmState WithNode(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var index = Index;
        if (Nodes.TryGetValue(node.NodeId, out var before))
        {
            index = index.Node(before, -1);
        }

        var next = this with { Nodes = Nodes.SetItem(node.NodeId, node) };
        return next with { KeptIndex = index.Node(node, +1).For(next) };
    }

    /// <summary>
    /// JSON gives sorted dictionaries the default comparer; the scheduler's order (drives, jobs,
    /// towers) must be the ordinal one a replay builds, or a state restored from a snapshot would
    /// decide in another order than the one it replaced.
    /// </summary>
    public FarmState WithOrdinalKeys() => this with
    {
        Jobs = Jobs.WithComparers(StringComparer.Ordinal),
        Drives = Drives.WithComparers(StringComparer.Ordinal),
        Towers = Towers.WithComparers(StringComparer.Ordinal),
        Nodes = Nodes.WithComparers(StringComparer.Ordinal),
        AppliedReports = AppliedReports.WithComparers(StringComparer.Ordinal),
        Alerts = Alerts.WithComparers(StringComparer.Ordinal),
    };
}

/// <summary>
/// Something an operator must see, standing until what raised it is cleared: a tower's alert, a
/// drive in maintenance or waiting for a person, a lost node. <see cref="Id"/> is
/// <c>KIND:SUBJECT</c>, one per subject and kind; <see cref="RaisedAt"/> is the controller's clock.
/// </summary>
public sealed record AlertState(string Id, string Kind, string Subject, string Message, DateTimeOffset? RaisedAt)
{
    public bool Acknowledged { get; init; }

    public string? AcknowledgedBy { get; init; }
}
