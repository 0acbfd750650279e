using Farm.Controller.Demo;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>Waiting on an embedded farm: the controller's state polled until a condition holds, with a deadline, and what it showed when it did not.</summary>
internal static class FarmWaits
{
    public static async Task<FarmState> WaitUntilAsync(this EmbeddedFarm farm, Func<FarmState, bool> condition, TimeSpan patience, string what)
    {
        var state = FarmState.Empty;
        await Wait.UntilAsync(async () => condition(state = await farm.StateAsync(CancellationToken.None)), patience, () => $"{what}; the controller shows {Describe(state)}");
        return state;
    }

    /// <summary>
    /// Waits until nothing more will happen to the job (completed, failed, or cancelled with nothing
    /// in flight) and no drive still holds a disc of it: a copy counts once the controller accepts
    /// its drive's claim, a few seconds before the arm has put the disc in the output bin.
    /// </summary>
    public static async Task<JobState> WaitForJobToFinishAsync(this EmbeddedFarm farm, string jobId, TimeSpan patience) =>
        (await farm.WaitUntilAsync(s => IsOverAndBinned(s, jobId), patience, $"job {jobId} to finish and its discs to be binned")).Jobs[jobId];

    public static bool IsOverAndBinned(FarmState state, string jobId) =>
        state.Jobs.TryGetValue(jobId, out var job) && job.IsFinished && !state.Drives.Values.Any(d => d.Status == DriveStatus.Busy && d.JobId == jobId);

    public static string Describe(FarmState state) =>
        $"jobs: [{string.Join("; ", state.Jobs.Values.Select(j => $"{j.JobId} {j.Status} {j.Verified}/{j.Discs} rejected {j.Rejected}, copies {string.Join(", ", j.CopyStates.Values.Select(c => $"{c.Copy} {c.Status} {c.Phase} LBA {c.LastWrittenLba}"))}"))}]; " +
        $"drives: [{string.Join("; ", state.Drives.Values.Select(d => $"{d.DriveId} {d.Status} {d.Phase}"))}]";
}
