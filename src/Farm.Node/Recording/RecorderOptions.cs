using Farm.Device.Writing;

namespace Farm.Node.Recording;

/// <summary>One drive's identity and policy; validated when the actor is created.</summary>
public sealed record RecorderOptions
{
    public required string NodeId { get; init; }

    public required string DriveId { get; init; }

    public required string TowerId { get; init; }

    /// <summary>Persist sector progress at least this often while writing...</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>...or after this many bytes, whichever comes first (DESIGN.md: every second / 32 MiB).</summary>
    public long ProgressBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Failed discs in a row after which the drive goes to maintenance.</summary>
    public int MaxConsecutiveFailures { get; init; } = 3;

    /// <summary>
    /// Resuming a rewritable disc starts this many bytes before the last persisted position: what a
    /// drive's buffer may have held but not recorded when the power went (rewriting it is harmless).
    /// </summary>
    public long ResumeOverlapBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>How long the give-up clean-up (report, reject the disc, maintenance) may take.</summary>
    public TimeSpan GiveUpPatience { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A verified disc stays in the drive until the controller says it counts
    /// (<see cref="Farm.Messages.Protocol.VerifiedDiscClaim"/>): the claim is asked again this often
    /// while unanswered (the singleton moving, the node cut off from it).
    /// </summary>
    public TimeSpan CountAskInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a verified disc waits for the controller's answer before the drive logs an error
    /// (and again after each such period). It never stops asking and never bins the disc unanswered:
    /// the controller may have counted it (CopyVerified persisted, the answer lost) and a disc it
    /// counts must reach the output bin. A drive no controller answers could not be given work anyway.
    /// </summary>
    public TimeSpan CountWarningAfter { get; init; } = TimeSpan.FromMinutes(10);

    public DataWriterOptions Writer { get; init; } = new();

    /// <summary>
    /// Open the tray (START STOP UNIT with LoEj) before the tower's arm takes the disc: a media
    /// changer's arm picks from an open tray; a simulated tower moves discs itself.
    /// </summary>
    public bool EjectBeforeUnload { get; init; }

    public RecorderOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeId) || string.IsNullOrWhiteSpace(DriveId) || string.IsNullOrWhiteSpace(TowerId))
        {
            throw new ArgumentException("RecorderOptions: NodeId, DriveId and TowerId are required");
        }

        if (ProgressInterval <= TimeSpan.Zero || ProgressBytes < 2048)
        {
            throw new ArgumentException($"RecorderOptions: ProgressInterval ({ProgressInterval}) must be positive and ProgressBytes ({ProgressBytes}) at least one 2048-byte block");
        }

        if (MaxConsecutiveFailures < 1)
        {
            throw new ArgumentException($"RecorderOptions.MaxConsecutiveFailures must be at least 1, not {MaxConsecutiveFailures}");
        }

        if (ResumeOverlapBytes < 0 || GiveUpPatience <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RecorderOptions: ResumeOverlapBytes ({ResumeOverlapBytes}) must not be negative and GiveUpPatience ({GiveUpPatience}) must be positive");
        }

        if (CountAskInterval <= TimeSpan.Zero || CountWarningAfter < CountAskInterval)
        {
            throw new ArgumentException($"RecorderOptions: CountAskInterval ({CountAskInterval}) must be positive and CountWarningAfter ({CountWarningAfter}) at least one interval");
        }

        Writer.Validate();
        return this;
    }
}
