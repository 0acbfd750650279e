using Akka.Actor;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

// Verified discs: a drive holds a verified disc until this ledger says it counts
// (VerifiedDiscClaims). Counting is persisted (CopyVerified) before the answer leaves, so a disc in
// an output bin is always one the journal counts, and a claim asked again gets the same answer.
public sealed partial class FarmControllerActor
{
    private void ClaimCommands() => Command<VerifiedDiscClaim>(Claim);

    private void Claim(VerifiedDiscClaim claim)
    {
        var sender = Sender;
        var (verdict, why) = VerifiedDiscClaims.Judge(_state, claim);
        switch (verdict)
        {
            case ClaimVerdict.Count:
                LogClaimCounted(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId);
                PersistAndDecide(
                    [new CopyVerified(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId, claim.Sha256 ?? "", claim.DiscId)],
                    () => sender.Tell(new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, true, null)));
                break;
            case ClaimVerdict.CountedAlready:
                sender.Tell(new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, true, null));
                break;
            default:
                LogClaimRefused(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId, why!);
                sender.Tell(new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, false, why));
                break;
        }
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Debug, Message = "Job {JobId} copy {Copy} attempt {Attempt}: the verified disc in drive {DriveId} counts")]
    private partial void LogClaimCounted(string jobId, int copy, int attempt, string driveId);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Job {JobId} copy {Copy} attempt {Attempt}: the verified disc in drive {DriveId} does not count: {Why}")]
    private partial void LogClaimRefused(string jobId, int copy, int attempt, string driveId, string why);
}
