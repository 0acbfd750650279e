using Farm.Controller.Demo;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// An operator cancels a job on the embedded farm while two of its discs are being written:
/// without abort the burns in flight finish and count; with abort the controller tells their
/// drives to stop, and the discs go to the reject bin with the reason.
/// </summary>
public sealed class CancelWithAbortTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _folder = new("farm-abort");

    public void Dispose() => _folder.Dispose();

    private async Task<(EmbeddedFarm Farm, string JobId)> StartBurningAsync()
    {
        // 1x DVD at time scale 10: a 48 MiB disc takes over three seconds to write, long enough to cut it short.
        var options = new EmbeddedFarmOptions { DataDirectory = _folder.FullPath, Drives = 2, TimeScale = 10, WriteSpeedX = 1, InputBlanks = 10 };
        var farm = await EmbeddedFarm.StartAsync(options, TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var image = _folder.PathOf("image.iso");
        var bytes = new byte[48 * 1024 * 1024];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);
        var jobId = await farm.SubmitAsync(new JobRequest(image, bytes.Length / 2048, 4, VerifyMode.Full, "DVD+R"), TimeProvider.System, CancellationToken.None);
        await farm.WaitUntilAsync(
            s => s.Jobs.TryGetValue(jobId, out var job) && job.CopyStates.Values.Count(c => c is { Status: CopyStatus.Assigned, Phase: "Writing" }) == 2,
            Patience,
            "both drives to be writing a copy");
        return (farm, jobId);
    }

    [Fact]
    public async Task Cancelling_with_abort_stops_the_burns_in_flight_and_rejects_their_discs()
    {
        var (farm, jobId) = await StartBurningAsync();
        await using (farm)
        {
            Assert.IsType<CommandAccepted>(await farm.ControlAsync(jobId, JobControl.Cancel, abortInFlight: true, CancellationToken.None));
            var state = await farm.WaitUntilAsync(
                s => s.Jobs[jobId].IsFinished && s.Drives.Values.All(d => d.Status == DriveStatus.Idle),
                Patience,
                "the job to be over and both drives idle");

            var job = state.Jobs[jobId];
            Assert.Equal((JobStatus.Cancelled, 0, 2), (job.Status, job.Verified, job.Rejected));
            Assert.All(job.Failures, f => Assert.Equal(("E_IMAPI_REQUEST_CANCELLED", Disposition.FailDisc), (f.ImapiName, f.Disposition)));
            Assert.All(job.Failures, f => Assert.Contains("aborted while writing", f.Message, StringComparison.Ordinal));
            Assert.All(job.CopyStates.Values, c => Assert.Equal(CopyStatus.Abandoned, c.Status));
            var bins = await (await farm.Tower).GetBinsAsync(CancellationToken.None);
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
            Assert.IsType<CommandAccepted>(await farm.ControlAsync(jobId, JobControl.Cancel, abortInFlight: false, CancellationToken.None));
            var state = await farm.WaitUntilAsync(s => FarmWaits.IsOverAndBinned(s, jobId), Patience, "the job to be over and its discs binned");

            var job = state.Jobs[jobId];
            Assert.Equal((JobStatus.Cancelled, 2, 0), (job.Status, job.Verified, job.Rejected));
            Assert.Equal(2, job.CopyStates.Values.Count(c => c.Status == CopyStatus.Abandoned));
            var bins = await (await farm.Tower).GetBinsAsync(CancellationToken.None);
            Assert.Equal((2, 0, 8), (bins.Output, bins.Reject, bins.InputBlanks));
        }
    }
}
