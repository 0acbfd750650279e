using Farm.Messages;
using Farm.Messages.Jobs;

namespace Farm.Controller.Scheduling;

/// <summary>
/// The controller's decisions as one pure function of the farm's state: given what the journal
/// says, which events should the controller append next? Pure, so a restarted or standby
/// controller that rebuilt the same state takes the same decisions, and tests need no farm.
/// </summary>
public static class Scheduler
{
    public static IReadOnlyList<IFarmEvent> Decide(FarmState state, SchedulerOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var decisions = new List<IFarmEvent>();

        // 1. Record what drives reported: a disc in an output bin counts; a failed attempt is a
        //    rejected disc and its copy goes back to the queue (or the job fails when the copy
        //    has used up its attempts).
        foreach (var job in state.Jobs.Values.Where(j => j.Status == JobStatus.Running))
        {
            foreach (var copy in job.CopyStates.Values.Where(c => c.Outcome is not null))
            {
                var outcome = copy.Outcome!;
                if (outcome.Verified)
                {
                    decisions.Add(new CopyVerified(job.JobId, copy.Copy, copy.Attempt, copy.DriveId ?? "", outcome.Sha256 ?? "", outcome.DiscId ?? ""));
                    continue;
                }

                decisions.Add(new CopyFailed(job.JobId, copy.Copy, copy.Attempt, copy.DriveId ?? "", outcome.Failure!, outcome.DiscId));
                if (copy.Attempt >= options.MaxAttemptsPerCopy)
                {
                    decisions.Add(new JobFailed(job.JobId, $"copy {copy.Copy} failed {copy.Attempt} times; last: {outcome.Failure}", job.Verified, job.Rejected + 1, now));
                    break;
                }

                decisions.Add(new CopyRequeued(job.JobId, copy.Copy, copy.Attempt + 1, copy.DriveId ?? ""));
            }
        }

        if (decisions.Count > 0)
        {
            // Outcomes change what is pending; decide assignments on the next pass, from the new state.
            return decisions;
        }

        // 2. A job with exactly its number of verified copies is complete.
        foreach (var job in state.Jobs.Values.Where(j => j.Status == JobStatus.Running && j.Verified >= j.Copies))
        {
            decisions.Add(new JobCompleted(job.JobId, job.Verified, job.Rejected, now));
        }

        // 3. Assign pending copies to idle drives: jobs by priority (high first) then age; a drive
        //    only if its tower still has blanks of the job's media that no earlier assignment
        //    already claimed; a copy avoids the drive that last failed it while another drive
        //    that is not in maintenance exists.
        var idle = state.Drives.Values.Where(d => d.Status == DriveStatus.Idle && d.JobId is null).ToList();
        var claimed = state.Drives.Values
            .Where(d => d.Status == DriveStatus.Busy && d.Phase is "Assigned" or "Accepted")
            .GroupBy(d => d.TowerId)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var serviceable = state.Drives.Values.Count(d => d.Status != DriveStatus.Maintenance);

        var pending = state.Jobs.Values
            .Where(j => j.Status == JobStatus.Running && !decisions.OfType<JobCompleted>().Any(c => c.JobId == j.JobId))
            .OrderByDescending(j => j.Priority).ThenBy(j => j.SubmittedAt).ThenBy(j => j.JobId, StringComparer.Ordinal)
            .SelectMany(j => j.CopyStates.Values.Where(c => c.Status == CopyStatus.Pending).Select(c => (Job: j, Copy: c)));

        foreach (var (job, copy) in pending)
        {
            var drive = idle
                .Where(d => BlanksLeft(state, claimed, d.TowerId, job.MediaType) > 0)
                .OrderBy(d => d.DriveId == copy.AvoidDriveId ? 1 : 0)
                .ThenBy(d => d.Failures)
                .ThenBy(d => d.DriveId, StringComparer.Ordinal)
                .FirstOrDefault();
            if (drive is null)
            {
                continue;
            }

            if (drive.DriveId == copy.AvoidDriveId && serviceable > 1)
            {
                // Another drive will be free soon; this one just ruined a disc of this copy.
                continue;
            }

            idle.Remove(drive);
            claimed[drive.TowerId] = claimed.GetValueOrDefault(drive.TowerId) + 1;
            decisions.Add(new CopyAssigned(job.JobId, copy.Copy, copy.Attempt + 1, drive.NodeId, drive.DriveId, job.ImagePath, job.ImageBlocks, job.Verify, job.MediaType, job.AllowResume, job.Label));
        }

        return decisions;
    }

    private static int BlanksLeft(FarmState state, Dictionary<string, int> claimed, string towerId, string mediaType) =>
        state.Towers.TryGetValue(towerId, out var tower) && string.Equals(tower.InputMediaType, mediaType, StringComparison.OrdinalIgnoreCase)
            ? tower.InputBlanks - claimed.GetValueOrDefault(towerId)
            : 0;
}
