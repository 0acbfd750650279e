using System.Security.Cryptography;
using Farm.Controller.Demo;
using Farm.Controller.Scheduling;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Node.Configuration;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// The whole embedded farm in one process (the controller singleton on farm.db, one node with a
/// simulated tower on node.db, a cluster of one), at a high time scale so a burn takes
/// milliseconds of real time; the controller's journal read back through Akka.Persistence.Query.
/// </summary>
public sealed class EmbeddedFarmTests : IDisposable
{
    private static readonly TimeSpan Patience = EmbeddedFarmFolder.Patience;
    private readonly EmbeddedFarmFolder _folder = new("farm-e2e");

    public void Dispose() => _folder.Dispose();

    private Task<EmbeddedFarm> StartAsync(int drives) => _folder.StartAsync(drives);

    private string Image(int megabytes)
    {
        var path = _folder.PathOf("image.iso");
        var bytes = new byte[megabytes * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static Task<string> SubmitAsync(EmbeddedFarm farm, string image, int copies) =>
        farm.SubmitAsync(new JobRequest(image, new FileInfo(image).Length / 2048, copies, VerifyMode.Full, "DVD+R"), TimeProvider.System, CancellationToken.None);

    [Fact]
    public async Task A_job_ends_with_its_copies_verified_in_the_output_bin()
    {
        await using var farm = await StartAsync(drives: 2);
        var image = Image(2);

        var jobId = await SubmitAsync(farm, image, copies: 3);
        var job = await farm.WaitForJobToFinishAsync(jobId, Patience);

        Assert.Equal((JobStatus.Completed, 3, 0), (job.Status, job.Verified, job.Rejected));
        var bins = await (await farm.Tower).GetBinsAsync(CancellationToken.None);
        Assert.Equal((3, 0, 17), (bins.Output, bins.Reject, bins.InputBlanks));
        var expected = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(image)));
        Assert.All(job.CopyStates.Values, c => Assert.Equal(expected, c.Sha256));
    }

    [Fact]
    public async Task A_copy_whose_disc_fails_is_burned_again_on_fresh_media_and_the_bad_disc_is_rejected()
    {
        string jobId;
        await using (var farm = await StartAsync(drives: 2))
        {
            // A MEDIUM ERROR on the fourth WRITE(10) of drive 1: that disc is bad, not the drive.
            farm.Drives[EmbeddedFarmOptions.DriveIdOf("T1", 1)].Faults.InjectOnce(FaultTrigger.On(0x2A).After(3), Fault.WithSense(SenseKey.MediumError, 0x0C, 0x00));

            jobId = await SubmitAsync(farm, Image(2), copies: 3);
            var job = await farm.WaitForJobToFinishAsync(jobId, Patience);

            Assert.Equal((JobStatus.Completed, 3, 1), (job.Status, job.Verified, job.Rejected));
            var failure = Assert.Single(job.Failures);
            Assert.Equal(Disposition.FailDisc, failure.Disposition);
            Assert.Contains("3/0C/00", failure.Message, StringComparison.Ordinal);
            var bins = await (await farm.Tower).GetBinsAsync(CancellationToken.None);
            Assert.Equal((3, 1), (bins.Output, bins.Reject));
        }

        // The controller's journal tells the same story: one failed attempt, re-queued, each copy
        // verified once, the bad disc in the reject bin; and the farm's invariant holds.
        await using var audit = JournalAudit.OfFarm(new JournalAddress(true, Path.Combine(_folder.DataDirectory, "farm.db")));
        var entries = await audit.ControllerAsync();
        var events = entries.Select(e => e.Event).ToList();
        var failed = Assert.Single(events.OfType<CopyFailed>());
        Assert.Contains(events.OfType<CopyRequeued>(), r => r.Copy == failed.Copy && r.NextAttempt == 2);
        Assert.Equal([1, 2, 3], events.OfType<CopyVerified>().Select(v => v.Copy).Order());
        Assert.Contains(events.OfType<DiscUnloaded>(), u => u.Bin == Bins.Reject && u.Copy == failed.Copy && u.Attempt == 1);
        JournalAudit.AssertInvariant(entries, await audit.StateAsync(), jobId, copies: 3);
    }

    [Fact]
    public async Task A_farm_started_again_on_its_folder_carries_on_from_its_journals()
    {
        string jobId;
        await using (var first = await StartAsync(drives: 1))
        {
            jobId = await SubmitAsync(first, Image(1), copies: 2);
            Assert.Equal(JobStatus.Completed, (await first.WaitForJobToFinishAsync(jobId, Patience)).Status);
        }

        await using var second = await StartAsync(drives: 1);

        // The controller answers once it has recovered from farm.db; the tower is rebuilt from node.db.
        var job = (await second.StateAsync(CancellationToken.None)).Jobs[jobId];
        Assert.Equal((JobStatus.Completed, 2), (job.Status, job.Verified));
        var bins = await (await second.Tower).GetBinsAsync(CancellationToken.None);
        Assert.Equal((2, 18), (bins.Output, bins.InputBlanks));

        // And it goes on burning: the drive that burned the first job takes the next one.
        var next = await SubmitAsync(second, Image(1), copies: 1);
        var done = await second.WaitForJobToFinishAsync(next, Patience);
        Assert.Equal((JobStatus.Completed, 1), (done.Status, done.Verified));
    }
}
