namespace Farm.Messages.Drives;

// A drive's life, appended by its RecorderActor to the stream "drive-{DriveId}".

/// <summary>The drive's actor started (or restarted) and found the drive usable.</summary>
public sealed record DriveCameOnline(string DriveId, string NodeId, string TowerId, string Vendor, string Product) : IFarmEvent;

/// <summary>The drive accepted a copy from the controller.</summary>
/// <remarks>The optional fields let a restarted drive resume the burn on rewritable media; older events lack them.</remarks>
public sealed record BurnAssigned(
    string DriveId,
    string JobId,
    int Copy,
    int Attempt,
    long TotalBlocks,
    string? ImagePath = null,
    VerifyMode Verify = VerifyMode.Full,
    bool AllowResume = false,
    string? Label = null) : IFarmEvent;

/// <summary>The tower put a blank disc in the drive.</summary>
public sealed record DiscLoaded(string DriveId, string JobId, int Copy, string DiscId, string Profile) : IFarmEvent;

/// <summary>The first WRITE is about to be sent.</summary>
public sealed record BurnStarted(string DriveId, string JobId, int Copy, string DiscId, long StartLba, long TotalBlocks) : IFarmEvent;

/// <summary>Progress, persisted at bounded intervals (time and bytes) while writing.</summary>
public sealed record SectorsWritten(string DriveId, string JobId, int Copy, long LastWrittenLba, long TotalBlocks, double BytesPerSecond) : IFarmEvent;

/// <summary>Every block was sent; the drive is flushing its buffer and closing track and session (minutes on real drives).</summary>
public sealed record BurnClosing(string DriveId, string JobId, int Copy, long LastWrittenLba) : IFarmEvent;

/// <summary>Every block was written and the disc closed.</summary>
/// <param name="SpeedCurve">The write speed over the disc, at most <see cref="SpeedPoint.MaxPerCurve"/> points in LBA order (optional; older events lack it).</param>
public sealed record BurnFinished(string DriveId, string JobId, int Copy, long Blocks, TimeSpan Duration, IReadOnlyList<SpeedPoint>? SpeedCurve = null) : IFarmEvent;

/// <summary>The drive's write speed (bytes per second) over the stretch of the disc that ended at <paramref name="Lba"/>.</summary>
public sealed record SpeedPoint(long Lba, double BytesPerSecond)
{
    /// <summary>The most points a disc's speed curve holds: the node records no more, and reports and the API show no more.</summary>
    public const int MaxPerCurve = 100;
}

/// <summary>The disc was read back and matched the image (for an audio CD: every track matched its WAV data).</summary>
/// <param name="Sha256">The image's SHA-256; for an audio CD, the SHA-256 of its tracks' SHA-256s (lower-case hex, track 1 first, no separator).</param>
/// <param name="Tracks">An audio CD's tracks as read back (optional; null for data discs).</param>
public sealed record DiscVerified(string DriveId, string JobId, int Copy, string Sha256, TimeSpan Duration, IReadOnlyList<TrackChecksum>? Tracks = null) : IFarmEvent;

/// <summary>One audio track of a verified CD: its number, where it starts, its length in CD frames (1/75 s) and as a duration, and the SHA-256 of its 2352-byte blocks.</summary>
public sealed record TrackChecksum(int Number, string Source, long StartLba, long Blocks, TimeSpan Duration, string Sha256);

/// <summary>The attempt failed at some phase; the disc goes to the reject bin.</summary>
public sealed record BurnFailed(string DriveId, string JobId, int Copy, int Attempt, string Phase, long LastWrittenLba, FailureReason Reason) : IFarmEvent
{
    /// <summary>The phase of an assignment the drive refused (it was not idle): it never took it.</summary>
    public const string RefusedPhase = "Refused";

    /// <summary>The phase of an attempt an operator aborted (a job cancelled with abort).</summary>
    public const string AbortedPhase = "Aborted";

    /// <summary>
    /// Whether this failure says something about the drive: a refused or aborted attempt does not,
    /// so it counts neither towards the drive's consecutive failures nor its failure window.
    /// </summary>
    public bool CountsAgainstDrive() => Phase is not (RefusedPhase or AbortedPhase);
}

/// <summary>The disc left the drive for a bin ("output" or "reject").</summary>
public sealed record DiscUnloaded(string DriveId, string JobId, int Copy, int Attempt, string DiscId, string Bin, string? Sha256) : IFarmEvent;

/// <summary>
/// The controller answered the drive's claim for a verified disc (<see cref="Protocol.VerifiedDiscClaim"/>):
/// <paramref name="Counted"/>, the disc goes to the output bin; else to the reject bin for
/// <paramref name="Why"/> (also when the controller never answered within the drive's patience).
/// Persisted before the disc moves, so a drive restarted in between bins it as answered.
/// </summary>
public sealed record DiscCountAnswered(string DriveId, string JobId, int Copy, int Attempt, string DiscId, bool Counted, string? Why) : IFarmEvent;

/// <summary>The drive is free for the next copy.</summary>
public sealed record DriveIdle(string DriveId) : IFarmEvent;

/// <summary>The drive was taken out of service (repeated failures, operator).</summary>
public sealed record DriveEnteredMaintenance(string DriveId, string Why) : IFarmEvent;

/// <summary>
/// Found on restart: the drive's journal shows a burn that never finished (crash, power cut).
/// The disc is rejected and the copy goes back to the controller for fresh media.
/// </summary>
public sealed record DiscInterrupted(string DriveId, string JobId, int Copy, int Attempt, string? DiscId, string Phase, long LastPersistedLba, long TotalBlocks) : IFarmEvent;
