using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

// Verified discs: a drive holds a verified disc until this ledger says it counts
// (VerifiedDiscClaims). Counting is persisted (CopyVerified) before the answer leaves, so a disc in
// an output bin is always one the journal counts, and a claim asked again gets the same answer.
// Claims wait for the next write with the node reports (Flush): a farm whose drives finish together
// sends thousands of claims within seconds, and one write (and one scheduler pass) each was where
// 10,000 drives stopped keeping up (docs/SCALING.md, "Farm size").
public sealed partial class FarmControllerActor
{
    /// <summary>Claims waiting for the next write, in arrival order, with whom to answer.</summary>
    private readonly List<(VerifiedDiscClaim Claim, IActorRef ReplyTo)> _claimBatch = [];

    private void ClaimCommands() => Command<VerifiedDiscClaim>(Claim);

    private void Claim(VerifiedDiscClaim claim)
    {
        _claimBatch.Add((claim, Sender));
        AskForFlush();
    }

    /// <summary>
    /// The verdicts on the waiting claims, in arrival order, on the state now: the CopyVerified
    /// events to persist, and the answers to send once they are. A refusal, or a claim counted in an
    /// earlier write, is answered at once; a claim asked again while its first is waiting is answered
    /// with it (a claim for the same copy from another attempt is refused by the ledger's rule).
    /// </summary>
    private (List<IFarmEvent> Counted, List<Action> Answers) JudgeClaims()
    {
        var counted = new List<IFarmEvent>();
        var answers = new List<Action>();
        var countedHere = new Dictionary<(string JobId, int Copy), VerifiedDiscClaim>();
        foreach (var (claim, replyTo) in _claimBatch)
        {
            var answer = new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, true, null);
            if (countedHere.TryGetValue((claim.JobId, claim.Copy), out var first) && (first.Attempt, first.DriveId) == (claim.Attempt, claim.DriveId))
            {
                answers.Add(() => replyTo.Tell(answer)); // asked again before its answer came: one CopyVerified
                continue;
            }

            var (verdict, why) = VerifiedDiscClaims.Judge(_state, claim);
            switch (verdict)
            {
                case ClaimVerdict.Count:
                    LogClaimCounted(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId);
                    counted.Add(new CopyVerified(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId, claim.Sha256 ?? "", claim.DiscId));
                    countedHere[(claim.JobId, claim.Copy)] = claim;
                    answers.Add(() => replyTo.Tell(answer));
                    break;
                case ClaimVerdict.CountedAlready:
                    replyTo.Tell(answer);
                    break;
                default:
                    Refuse(claim, replyTo, why!);
                    break;
            }
        }

        _claimBatch.Clear();
        return (counted, answers);
    }

    private void Refuse(VerifiedDiscClaim claim, IActorRef replyTo, string why)
    {
        LogClaimRefused(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId, why);
        replyTo.Tell(new VerifiedDiscAnswer(claim.JobId, claim.Copy, claim.Attempt, false, why));
    }

    [LoggerMessage(EventId = 3030, Level = LogLevel.Debug, Message = "Job {JobId} copy {Copy} attempt {Attempt}: the verified disc in drive {DriveId} counts")]
    private partial void LogClaimCounted(string jobId, int copy, int attempt, string driveId);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Warning, Message = "Job {JobId} copy {Copy} attempt {Attempt}: the verified disc in drive {DriveId} does not count: {Why}")]
    private partial void LogClaimRefused(string jobId, int copy, int attempt, string driveId, string why);
}
