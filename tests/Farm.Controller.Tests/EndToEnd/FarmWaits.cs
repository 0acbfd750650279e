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

    /// <summary>Waits until nothing more will happen to the job (completed, failed, or cancelled with nothing in flight).</summary>
    public static async Task<JobState> WaitForJobToFinishAsync(this EmbeddedFarm farm, string jobId, TimeSpan patience) =>
        (await farm.WaitUntilAsync(s => s.Jobs.TryGetValue(jobId, out var job) && job.IsFinished, patience, $"job {jobId} to finish")).Jobs[jobId];

    public static string Describe(FarmState state) =>
        $"jobs: [{string.Join("; ", state.Jobs.Values.Select(j => $"{j.JobId} {j.Status} {j.Verified}/{j.Discs} rejected {j.Rejected}, copies {string.Join(", ", j.CopyStates.Values.Select(c => $"{c.Copy} {c.Status} {c.Phase} LBA {c.LastWrittenLba}"))}"))}]; " +
        $"drives: [{string.Join("; ", state.Drives.Values.Select(d => $"{d.DriveId} {d.Status} {d.Phase}"))}]";
}
