namespace Farm.Messages.Jobs;

// The controller's decisions and the job ledger. All live in the controller's stream; their
// order there is the order the controller took them, fenced by the stream's sequence number.

/// <summary>
/// A job was accepted: burn <paramref name="Copies"/> discs of one image (or, for a collated set,
/// <paramref name="Copies"/> sets of the images in <paramref name="Source"/>). Every parameter after
/// <paramref name="SubmittedAt"/> was added later and has a default, so events stored before it
/// existed still read back (as a single-image job with the farm's policy).
/// </summary>
/// <param name="Source">What to burn; null means the single image of <paramref name="ImagePath"/>.</param>
/// <param name="Label">The label to print on each disc; null prints none.</param>
/// <param name="DueAt">When the job should be done: among jobs of one priority, earlier due times go first.</param>
/// <param name="MaxAttemptsPerCopy">Overrides the farm's attempts per copy for this job.</param>
/// <param name="ImageSha256">The image's SHA-256 (lower-case hex), computed by the controller at submit: a node that cannot open <paramref name="ImagePath"/> fetches the image by it (<c>GET /api/images/{sha256}</c>); null for audio jobs and older events.</param>
public sealed record JobSubmitted(
    string JobId,
    string ImagePath,
    long ImageBlocks,
    int Copies,
    VerifyMode Verify,
    string MediaType,
    int Priority,
    DateTimeOffset SubmittedAt,
    JobSource? Source = null,
    LabelSpec? Label = null,
    DateTimeOffset? DueAt = null,
    int? MaxAttemptsPerCopy = null,
    bool AllowResume = false,
    string? ImageSha256 = null) : IFarmEvent;

/// <summary>What kind of thing a job burns.</summary>
public enum SourceKind
{
    /// <summary>One ready image (ISO, UDF): every copy is that image.</summary>
    Image = 0,

    /// <summary>A folder to master into an image first (ISO 9660 + Joliet / UDF).</summary>
    Folder = 1,

    /// <summary>Several images burned as a numbered set: each "copy" is one set of discs 1..n.</summary>
    CollatedSet = 2,

    /// <summary>A Redbook audio CD of WAV tracks (<see cref="JobSource.AudioTracks"/>), written disc-at-once and verified track by track.</summary>
    Audio = 3,

    /// <summary>
    /// A folder (<see cref="JobSource.Path"/>) added as a new session to appendable discs the towers
    /// feed (IMultisessionSequential): each node masters the session for its disc, importing the
    /// disc's last session.
    /// </summary>
    Append = 4,
}

/// <summary>One disc of a collated set.</summary>
/// <param name="Sha256">The image's SHA-256 (lower-case hex) the controller computed at submit; null when not known (older events).</param>
public sealed record SetImage(string Path, long Blocks, string? Sha256 = null);

/// <summary>A job's source: an image, a folder, the images of a collated set in disc order, or an audio CD's WAV tracks in track order.</summary>
/// <param name="AudioTracks">The WAV files of an audio job (absolute paths the nodes read), track 1 first; null for data jobs.</param>
/// <param name="AudioText">An audio job's CD-TEXT, catalog number and ISRCs (optional).</param>
/// <param name="CloseDisc">An append job: close the disc after its session (no session can follow).</param>
public sealed record JobSource(
    SourceKind Kind,
    string Path,
    IReadOnlyList<SetImage>? SetImages = null,
    IReadOnlyList<string>? AudioTracks = null,
    AudioText? AudioText = null,
    bool CloseDisc = false);

/// <summary>
/// What an audio CD says about itself: album CD-TEXT title and performer, the UPC/EAN media catalog
/// number (13 digits), and per track (track 1 first) its CD-TEXT title and performer and its ISRC.
/// </summary>
public sealed record AudioText(string? Title = null, string? Performer = null, string? Catalog = null, IReadOnlyList<AudioTrackText>? Tracks = null);

/// <summary>One track's CD-TEXT title and performer and its ISRC (12 characters, CCOOOYYNNNNN).</summary>
public sealed record AudioTrackText(string? Title = null, string? Performer = null, string? Isrc = null);

/// <summary>
/// A label template such as <c>"{title} #{serial} disc {disc}/{discs}"</c>, and merge fields per
/// copy (index 0 is copy or set 1). Placeholders: job, copy, set, disc, discs, copies, and the
/// names of the merge fields.
/// </summary>
public sealed record LabelSpec(string Template, IReadOnlyList<IReadOnlyDictionary<string, string>>? MergeFields = null);

/// <summary>An operator held a job: nothing more of it is assigned until it is resumed; burns in flight finish.</summary>
public sealed record JobHeld(string JobId, string Reason, DateTimeOffset HeldAt) : IFarmEvent;

/// <summary>A held job may be assigned again.</summary>
public sealed record JobResumed(string JobId, DateTimeOffset ResumedAt) : IFarmEvent;

/// <summary>
/// An operator cancelled a job: nothing more is assigned at once. With <paramref name="AbortInFlight"/>
/// the burns in flight are aborted (their discs rejected); without, they finish and count.
/// </summary>
public sealed record JobCancelled(string JobId, bool AbortInFlight, string Reason, DateTimeOffset CancelledAt) : IFarmEvent;

/// <summary>The controller gave one copy of a job to a drive; the drive's node carries it out.</summary>
/// <param name="AllowResume">On rewritable media an interrupted disc may be resumed instead of rejected (optional; older events lack it).</param>
/// <param name="Label">The label template the tower prints on the disc, with {job} {copy} {date} {drive} {disc} merge fields (optional).</param>
/// <param name="AudioTracks">An audio job's WAV files, track 1 first: the node stages and burns them as a Redbook CD (optional; null for data).</param>
/// <param name="ImageSha256">The image's SHA-256: a node that cannot open <paramref name="ImagePath"/> fetches it from a controller by this hash (optional; null: the node must see the path).</param>
/// <param name="AudioText">An audio job's CD-TEXT, catalog number and ISRCs (optional).</param>
/// <param name="AppendFolder">An append job's folder: the node adds it as a new session to an appendable disc (optional; null otherwise).</param>
/// <param name="CloseDisc">An append job: close the disc after the session.</param>
public sealed record CopyAssigned(
    string JobId,
    int Copy,
    int Attempt,
    string NodeId,
    string DriveId,
    string ImagePath,
    long ImageBlocks,
    VerifyMode Verify,
    string MediaType,
    bool AllowResume = false,
    string? Label = null,
    IReadOnlyList<string>? AudioTracks = null,
    string? ImageSha256 = null,
    AudioText? AudioText = null,
    string? AppendFolder = null,
    bool CloseDisc = false) : IFarmEvent;

/// <summary>A copy's disc burned, verified and went to an output bin: it counts.</summary>
public sealed record CopyVerified(string JobId, int Copy, int Attempt, string DriveId, string Sha256, string DiscId) : IFarmEvent;

/// <summary>A copy's attempt failed; its disc went to the reject bin.</summary>
public sealed record CopyFailed(string JobId, int Copy, int Attempt, string DriveId, FailureReason Reason, string? DiscId) : IFarmEvent;

/// <summary>A failed copy waits for fresh media again.</summary>
public sealed record CopyRequeued(string JobId, int Copy, int NextAttempt, string AvoidDriveId) : IFarmEvent;

/// <summary>The job has exactly its number of verified copies.</summary>
public sealed record JobCompleted(string JobId, int Verified, int Rejected, DateTimeOffset CompletedAt) : IFarmEvent;

/// <summary>The job cannot finish (no capable drive, too many attempts); nothing more is assigned.</summary>
public sealed record JobFailed(string JobId, string Why, int Verified, int Rejected, DateTimeOffset FailedAt) : IFarmEvent;

/// <summary>The controller asks a node to abort a burn in flight (its job was cancelled with abort); the disc is rejected.</summary>
public sealed record CopyAbortRequested(string JobId, int Copy, int Attempt, string NodeId, string DriveId, string Reason) : IFarmEvent;

/// <summary>The controller stopped using a drive that failed too often in its window; an operator returns it to service.</summary>
public sealed record DriveMaintenanceOrdered(string DriveId, string Why, DateTimeOffset OrderedAt) : IFarmEvent;

/// <summary>The cluster removed a node (or it never came back after a controller failover): its drives are offline and its copies in flight are re-queued.</summary>
public sealed record NodeLost(string NodeId, DateTimeOffset LastSeenAt, DateTimeOffset DeclaredAt) : IFarmEvent;
