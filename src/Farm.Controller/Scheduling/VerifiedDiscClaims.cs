using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;

namespace Farm.Controller.Scheduling;

/// <summary>What the controller does with a drive's claim for a verified disc.</summary>
public enum ClaimVerdict
{
    /// <summary>The attempt is still the drive's and the copy still wanted: persist CopyVerified, then say it counts.</summary>
    Count = 0,

    /// <summary>This claim was accepted before (the answer was lost, or the drive restarted): say it counts again, persist nothing.</summary>
    CountedAlready = 1,

    /// <summary>The disc does not count (the reason says why): the drive rejects it.</summary>
    Refuse = 2,
}

/// <summary>
/// The rule for a <see cref="VerifiedDiscClaim"/>, as a pure function of the controller's ledger: a
/// disc counts only when its attempt is still the drive's (the node was not declared lost, the copy
/// not re-queued or verified elsewhere) and its job still wants discs. Before this rule a node that
/// was alive but cut off from the controllers binned its verified disc to output after the
/// controller had re-queued the copy: one disc too many (found by the chaos test, docs/RELIABILITY.md §4).
/// </summary>
public static class VerifiedDiscClaims
{
    public static (ClaimVerdict Verdict, string? Why) Judge(FarmState state, VerifiedDiscClaim claim)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(claim);
        if (!state.Jobs.TryGetValue(claim.JobId, out var job) || !job.CopyStates.TryGetValue(claim.Copy, out var copy))
        {
            return (ClaimVerdict.Refuse, $"the controller knows no copy {claim.Copy} of job {claim.JobId}");
        }

        if (copy.Status == CopyStatus.Verified)
        {
            return copy.Attempt == claim.Attempt && copy.DriveId == claim.DriveId
                ? (ClaimVerdict.CountedAlready, null)
                : (ClaimVerdict.Refuse, $"copy {claim.Copy} of job {claim.JobId} was already verified by attempt {copy.Attempt} in drive {copy.DriveId}; this disc would be one too many");
        }

        if (state.Nodes.TryGetValue(claim.NodeId, out var node) && node.Lost)
        {
            return (ClaimVerdict.Refuse, $"node {claim.NodeId} was declared lost (it left the cluster or was unreachable); attempt {claim.Attempt} of copy {claim.Copy} failed then and the copy was queued again");
        }

        if (copy.Status != CopyStatus.Assigned || copy.Attempt != claim.Attempt || copy.DriveId != claim.DriveId)
        {
            return (ClaimVerdict.Refuse, $"attempt {claim.Attempt} of copy {claim.Copy} of job {claim.JobId} is no longer drive {claim.DriveId}'s: the copy is {copy.Status.ToString().ToLowerInvariant()} on attempt {copy.Attempt}{(copy.DriveId is null ? "" : $" in drive {copy.DriveId}")}");
        }

        if (copy.Outcome is { Verified: false, Failure: var failure })
        {
            return (ClaimVerdict.Refuse, $"attempt {claim.Attempt} of copy {claim.Copy} was already reported failed: {failure?.Message}");
        }

        if (job.Status is JobStatus.Completed or JobStatus.Failed)
        {
            return (ClaimVerdict.Refuse, $"job {claim.JobId} is {job.Status.ToString().ToLowerInvariant()}: it wants no more discs");
        }

        return (ClaimVerdict.Count, null);
    }
}
