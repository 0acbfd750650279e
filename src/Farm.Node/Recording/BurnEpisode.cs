using Farm.Messages;
using Farm.Messages.Jobs;

namespace Farm.Node.Recording;

/// <summary>One attempt at one copy, as the drive accepted it (from the assignment, or from the journal on resume).</summary>
internal sealed record AttemptInfo(string JobId, int Copy, int Attempt, string ImagePath, long TotalBlocks, VerifyMode Verify, string MediaType, string? Label)
{
    /// <summary>An audio job's WAV files (track 1 first); null for an image.</summary>
    public IReadOnlyList<string>? AudioTracks { get; init; }

    /// <summary>The image's SHA-256 from the assignment: the node fetches the image by it when it cannot open <see cref="ImagePath"/>; null on resume.</summary>
    public string? ImageSha256 { get; init; }

    /// <summary>An audio job's CD-TEXT, catalog number and ISRCs; null for none.</summary>
    public AudioText? AudioText { get; init; }

    /// <summary>An append job's folder: added as a new session to the appendable disc loaded; null otherwise.</summary>
    public string? AppendFolder { get; init; }

    /// <summary>An append job: close the disc after the session.</summary>
    public bool CloseDisc { get; init; }

    public static AttemptInfo From(CopyAssigned a) => new(a.JobId, a.Copy, a.Attempt, a.ImagePath, a.ImageBlocks, a.Verify, a.MediaType, a.Label)
    {
        AudioTracks = a.AudioTracks,
        ImageSha256 = a.ImageSha256,
        AudioText = a.AudioText,
        AppendFolder = a.AppendFolder,
        CloseDisc = a.CloseDisc,
    };

    public (string JobId, int Copy, int Attempt) Key => (JobId, Copy, Attempt);
}

/// <summary>What a <see cref="BurnWorker"/> carries out for its recorder: minutes of device and arm work.</summary>
internal abstract record BurnEpisode
{
    /// <summary>The attempt it works on, when it can be aborted by the controller.</summary>
    public virtual (string JobId, int Copy, int Attempt)? Key => null;

    /// <summary>A copy the recorder accepted (BurnAssigned is persisted): load a blank, write, verify, bin.</summary>
    public sealed record NewBurn(AttemptInfo Attempt) : BurnEpisode
    {
        public override (string JobId, int Copy, int Attempt)? Key => Attempt.Key;
    }

    /// <summary>An attempt the journal shows unfinished (after a restart, or a disc the arm could not take before a hold).</summary>
    public sealed record Recover(OpenAttempt Open) : BurnEpisode
    {
        public override (string JobId, int Copy, int Attempt)? Key => (Open.JobId, Open.Copy, Open.Attempt);
    }

    /// <summary>The supervisor gave up on the drive: report the open attempt, reject its disc, enter maintenance.</summary>
    public sealed record GiveUp(int Restarts, string LastFailure) : BurnEpisode;
}
