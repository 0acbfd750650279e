using Farm.Messages.Views;
using Farm.Controller.Demo;
using Farm.Controller.Scheduling;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// The whole embedded farm in one process: controller, node, simulated tower and drives over a real
/// SQLite journal, at a high time scale so a burn takes milliseconds of real time.
/// </summary>
public sealed class EmbeddedFarmTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly TempDirectory folder = new("farm-e2e");

    public void Dispose() => folder.Dispose();

    private EmbeddedFarmOptions Options(int drives) => new()
    {
        DataDirectory = folder.FullPath,
        Drives = drives,
        TimeScale = 2000,
        InputBlanks = 20,
    };

    private string Image(int megabytes)
    {
        var path = folder.PathOf("image.iso");
        var bytes = new byte[megabytes * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static async Task<JobState> WaitForEndAsync(FarmController controller, string jobId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var job = controller.State.Jobs.GetValueOrDefault(jobId);
            if (job is { Status: not JobStatus.Running })
            {
                return job;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    [Fact]
    public async Task A_job_ends_with_its_copies_verified_in_the_output_bin()
    {
        await using var farm = await EmbeddedFarm.StartAsync(Options(drives: 2), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var image = Image(2);

        var jobId = await farm.Controller.SubmitAsync(new JobRequest(image, 1024, 3, VerifyMode.Full, "DVD+R"), CancellationToken.None);
        var job = await WaitForEndAsync(farm.Controller, jobId);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(3, job.Verified);
        Assert.Equal(0, job.Rejected);
        var bins = await farm.Tower.GetBinsAsync(CancellationToken.None);
        Assert.Equal((3, 0, 17), (bins.Output, bins.Reject, bins.InputBlanks));
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(image)));
        Assert.All(job.CopyStates.Values, c => Assert.Equal(expected, c.Sha256));
    }

    [Fact]
    public async Task A_copy_whose_disc_fails_is_burned_again_on_fresh_media_and_the_bad_disc_is_rejected()
    {
        await using var farm = await EmbeddedFarm.StartAsync(Options(drives: 2), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var failing = farm.Drives[EmbeddedFarmOptions.DriveIdOf("T1", 1)];
        failing.Faults.InjectOnce(FaultTrigger.On(0x2A).After(3), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x00));

        var jobId = await farm.Controller.SubmitAsync(new JobRequest(Image(2), 1024, 3, VerifyMode.Full, "DVD+R"), CancellationToken.None);
        var job = await WaitForEndAsync(farm.Controller, jobId);

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(3, job.Verified);
        Assert.Equal(1, job.Rejected);
        var failure = Assert.Single(job.Failures);
        Assert.Equal(Disposition.FailDisc, failure.Disposition);
        Assert.Contains("3/0C/00", failure.Message, StringComparison.Ordinal);
        var bins = await farm.Tower.GetBinsAsync(CancellationToken.None);
        Assert.Equal((3, 1), (bins.Output, bins.Reject));

        // The journal tells the same story: one failed attempt, re-queued, and each copy verified once.
        var events = (await farm.Journal.ReadAllAsync(0, 10_000, CancellationToken.None)).Select(e => e.Event).ToList();
        var failed = Assert.Single(events.OfType<CopyFailed>());
        Assert.Contains(events.OfType<CopyRequeued>(), r => r.Copy == failed.Copy && r.NextAttempt == 2);
        Assert.Equal([1, 2, 3], events.OfType<CopyVerified>().Select(v => v.Copy).Order());
        Assert.Contains(events.OfType<DiscUnloaded>(), u => u.Bin == Bins.Reject && u.Copy == failed.Copy && u.Attempt == 1);
    }

    [Fact]
    public async Task A_farm_started_again_on_its_folder_carries_on_from_its_journal()
    {
        string jobId;
        await using (var first = await EmbeddedFarm.StartAsync(Options(drives: 1), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None))
        {
            jobId = await first.Controller.SubmitAsync(new JobRequest(Image(1), 512, 2, VerifyMode.Full, "DVD+R"), CancellationToken.None);
            Assert.Equal(JobStatus.Completed, (await WaitForEndAsync(first.Controller, jobId)).Status);
        }

        await using var second = await EmbeddedFarm.StartAsync(Options(drives: 1), TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        await second.Controller.CaughtUp.WaitAsync(Patience);

        var job = second.Controller.State.Jobs[jobId];
        Assert.Equal((JobStatus.Completed, 2), (job.Status, job.Verified));
        var bins = await second.Tower.GetBinsAsync(CancellationToken.None);
        Assert.Equal((2, 18), (bins.Output, bins.InputBlanks));
    }
}
