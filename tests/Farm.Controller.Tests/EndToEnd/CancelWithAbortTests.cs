using Farm.Messages.Views;
using Farm.Controller.Demo;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// An operator cancels a job: without abort the burns in flight finish and count; with abort the
/// controller asks their drives to stop, and the discs go to the reject bin with the reason.
/// </summary>
public sealed class CancelWithAbortTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempDirectory folder = new("farm-abort");

    public void Dispose() => folder.Dispose();

    private async Task<(EmbeddedFarm Farm, string JobId)> StartBurningAsync()
    {
        // 10x a 1x DVD: a 48 MiB disc takes over three seconds to write, long enough to cut it short.
        var options = new EmbeddedFarmOptions { DataDirectory = folder.FullPath, Drives = 2, TimeScale = 10, WriteSpeedX = 1, InputBlanks = 10 };
        var farm = await EmbeddedFarm.StartAsync(options, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var image = folder.PathOf("image.iso");
        var bytes = new byte[48 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);
        var jobId = await farm.Controller.SubmitAsync(new JobRequest(image, 24576, 4, VerifyMode.Full, "DVD+R"), CancellationToken.None);
        await WaitUntilAsync(farm, s => s.Jobs.TryGetValue(jobId, out var job) && job.CopyStates.Values.Count(c => c is { Phase: "Writing" }) == 2);
        return (farm, jobId);
    }

    private static async Task<FarmState> WaitUntilAsync(EmbeddedFarm farm, Func<FarmState, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition(farm.Controller.State))
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Patience}; copies: {string.Join(", ", farm.Controller.State.Jobs.Values.SelectMany(j => j.CopyStates.Values).Select(c => $"{c.Copy} {c.Status} {c.Phase} {c.LastWrittenLba}"))}; drives: {string.Join(", ", farm.Controller.State.Drives.Values.Select(d => $"{d.DriveId} {d.Status} {d.Phase}"))}");
            await Task.Delay(20);
        }

        return farm.Controller.State;
    }

    [Fact]
    public async Task Cancelling_with_abort_stops_the_burns_in_flight_and_rejects_their_discs()
    {
        var (farm, jobId) = await StartBurningAsync();
        await using (farm)
        {
            await farm.Controller.CancelJobAsync(jobId, abortInFlight: true, "wrong image", CancellationToken.None);
            var state = await WaitUntilAsync(farm, s => s.Jobs[jobId].IsFinished && s.Drives.Values.All(d => d.Status == DriveStatus.Idle));

            var job = state.Jobs[jobId];
            Assert.Equal((JobStatus.Cancelled, 0, 2), (job.Status, job.Verified, job.Rejected));
            Assert.All(job.Failures, f => Assert.Equal(("E_IMAPI_REQUEST_CANCELLED", Disposition.FailDisc), (f.ImapiName, f.Disposition)));
            Assert.All(job.Failures, f => Assert.Contains("aborted while writing", f.Message, StringComparison.Ordinal));
            Assert.All(job.CopyStates.Values, c => Assert.Equal(CopyStatus.Abandoned, c.Status));
            var bins = await farm.Tower.GetBinsAsync(CancellationToken.None);
            Assert.Equal((0, 2, 8), (bins.Output, bins.Reject, bins.InputBlanks));
            Assert.All(state.Drives.Values, d => Assert.Empty(d.FailureTimes)); // an abort is no fault of the drive
        }
    }

    [Fact]
    public async Task Cancelling_without_abort_lets_the_burns_in_flight_finish_and_count()
    {
        var (farm, jobId) = await StartBurningAsync();
        await using (farm)
        {
            await farm.Controller.CancelJobAsync(jobId, abortInFlight: false, "enough copies", CancellationToken.None);
            var state = await WaitUntilAsync(farm, s => s.Jobs[jobId].IsFinished);

            var job = state.Jobs[jobId];
            Assert.Equal((JobStatus.Cancelled, 2, 0), (job.Status, job.Verified, job.Rejected));
            Assert.Equal(2, job.CopyStates.Values.Count(c => c.Status == CopyStatus.Abandoned));
            var bins = await farm.Tower.GetBinsAsync(CancellationToken.None);
            Assert.Equal((2, 0, 8), (bins.Output, bins.Reject, bins.InputBlanks));
        }
    }
}
