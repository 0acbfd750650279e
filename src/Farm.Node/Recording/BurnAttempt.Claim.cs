using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

// A verified disc stays in the drive until the controller singleton says whether it counts: a node
// cut off from the controllers may have been declared lost, its copy re-queued elsewhere, and a disc
// it put in the output bin then would be one nobody counts (found by the chaos test,
// docs/RELIABILITY.md §4). The answer is persisted before the disc moves, so a restart bins it as answered.
internal sealed partial class BurnAttempt
{
    /// <summary>Where claims go: the node, which passes them to the controller singleton.</summary>
    public required IActorRef Claims { get; init; }

    /// <summary>
    /// Asks the controller whether the verified disc counts, every <see cref="RecorderOptions.CountAskInterval"/>
    /// until answered, logging an error after each <see cref="RecorderOptions.CountWarningAfter"/>;
    /// persists the answer and returns it. It never gives up: the controller may already have counted
    /// the disc (the answer lost on the way), and binning it to reject then would leave a counted copy
    /// with no disc in the output bin.
    /// </summary>
    private async Task<DiscCountAnswered> ClaimAsync(string jobId, int copy, int attempt, string discId, string? sha256, CancellationToken cancellationToken)
    {
        var claim = new VerifiedDiscClaim(_options.NodeId, DriveId, jobId, copy, attempt, discId, sha256);
        var started = _time.GetTimestamp();
        var warnings = 0;
        VerifiedDiscAnswer? answer = null;
        while (answer is null)
        {
            try
            {
                answer = await Claims.Ask<VerifiedDiscAnswer>(claim, _options.CountAskInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                var waited = _time.GetElapsedTime(started);
                if (waited >= _options.CountWarningAfter * (warnings + 1))
                {
                    warnings++;
                    LogClaimLongUnanswered(DriveId, jobId, copy, attempt, discId, waited.TotalMinutes);
                }
                else
                {
                    LogClaimUnanswered(DriveId, jobId, copy, attempt, waited.TotalSeconds);
                }
            }
        }

        var answered = new DiscCountAnswered(DriveId, jobId, copy, attempt, discId, answer.Counted, answer.Why);
        if (!answered.Counted)
        {
            LogNotCounted(DriveId, jobId, copy, attempt, discId, answered.Why ?? "");
        }

        await PersistAsync(answered).ConfigureAwait(false);
        return answered;
    }

    /// <summary>A verified disc to its bin as the controller answered: output when it counts, else reject with the controller's reason.</summary>
    private async Task<bool> UnloadAnsweredAsync(DiscCountAnswered answered, string? sha256, CancellationToken cancellationToken, string? label = null)
    {
        MoveTo(RecorderState.Unloading);
        return answered.Counted
            ? await TryUnloadAsync(answered.JobId, answered.Copy, answered.Attempt, answered.DiscId, Bins.Output, null, sha256, cancellationToken, label).ConfigureAwait(false)
            : await TryUnloadAsync(answered.JobId, answered.Copy, answered.Attempt, answered.DiscId, Bins.Reject, $"verified, but not counted: {answered.Why}", null, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} attempt {Attempt}: no answer from the controller for {Seconds:F0} s on whether the verified disc counts; asking again")]
    private partial void LogClaimUnanswered(string driveId, string jobId, int copy, int attempt, double seconds);

    [LoggerMessage(EventId = 2017, Level = LogLevel.Error, Message = "Drive {DriveId}: job {JobId} copy {Copy} attempt {Attempt}: verified disc {DiscId} has waited {Minutes:F0} min for the controller to say whether it counts; it stays in the drive until a controller answers (is any controller up, and its database?)")]
    private partial void LogClaimLongUnanswered(string driveId, string jobId, int copy, int attempt, string discId, double minutes);

    [LoggerMessage(EventId = 2016, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} attempt {Attempt}: verified disc {DiscId} does not count and goes to the reject bin: {Why}")]
    private partial void LogNotCounted(string driveId, string jobId, int copy, int attempt, string discId, string why);
}
