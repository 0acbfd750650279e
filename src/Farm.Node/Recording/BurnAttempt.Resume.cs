using Farm.Device.Mmc;
using Farm.Messages.Drives;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

// Rewritable resume: IMAPI2's changed-ranges model applied to a burn a crash cut short.
internal sealed partial class BurnAttempt
{
    /// <summary>Resumes of one attempt after which it is rejected like any interrupted disc (a resume that keeps crashing).</summary>
    private const int MaxResumes = 2;

    /// <summary>
    /// True when the open attempt may be carried on instead of rejected: its job allowed it, the
    /// disc is overwritable (DVD+RW, DVD-RAM, BD-RE, DVD-RW restricted overwrite) and still in the
    /// drive, and the journal knows the image.
    /// </summary>
    private static bool CanResume(OpenAttempt open) =>
        open is { AllowResume: true, DiscId: not null, ImagePath: not null, MediaType: not null, Resumes: < MaxResumes, Phase: "Preparing" or "Writing" or "Closing" or "Verifying" }
        && Profiles.TryParse(open.MediaType, out var medium) && medium.Rewritable && !medium.SequentialOnly;

    /// <summary>Carries the attempt on; true when the recorder should settle the drive afterwards.</summary>
    private async Task<bool> ResumeAsync(OpenAttempt open, CancellationToken cancellationToken)
    {
        var overlap = _options.ResumeOverlapBytes / MmcDrive.BlockSize;
        var from = Math.Max(0, Math.Min(open.LastPersistedLba + 1, open.TotalBlocks) - overlap);
        LogResuming(DriveId, open.JobId, open.Copy, open.Phase, open.LastPersistedLba, open.TotalBlocks, from);
        MoveTo(RecorderState.Preparing);
        Observe(s => s with { JobId = open.JobId, Copy = open.Copy, LastWrittenLba = open.LastPersistedLba, TotalBlocks = open.TotalBlocks, LastError = null });
        await PersistAsync(new BurnResumed(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId!, open.LastPersistedLba, from, open.TotalBlocks)).ConfigureAwait(false);
        var attempt = new AttemptInfo(open.JobId, open.Copy, open.Attempt, open.ImagePath!, open.TotalBlocks, open.Verify, open.MediaType!, open.Label);
        return await RunAttemptAsync(attempt, open.DiscId, from, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} was interrupted while {Phase} at LBA {Lba} of {Total}; resuming the rewritable disc from LBA {From}")]
    private partial void LogResuming(string driveId, string jobId, int copy, string phase, long lba, long total, long from);
}
