using Akka.Actor;
using Farm.Controller.Demo;
using Farm.Controller.HotFolder;
using Farm.Controller.Tests.EndToEnd;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.HotFolder;

/// <summary>
/// The hot folder on the embedded farm, with real files: a request taken through .QRJ, .INP and
/// .DON, across a stop and a start of the whole controller on the same data and folder; a request
/// still being written; and one the farm refuses.
/// </summary>
public sealed class HotFolderFarmTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _folder = new("hot-farm");

    public HotFolderFarmTests()
    {
        Directory.CreateDirectory(Hot);
        var bytes = new byte[2 * 1024 * 1024];
        new Random(12).NextBytes(bytes);
        File.WriteAllBytes(Image, bytes);
    }

    private string Hot => _folder.PathOf("hot");

    private string Image => _folder.PathOf("image.iso");

    public void Dispose() => _folder.Dispose();

    private Task<EmbeddedFarm> StartAsync(bool printers = true) => EmbeddedFarm.StartAsync(
        new EmbeddedFarmOptions
        {
            DataDirectory = _folder.PathOf("farm"),
            Drives = 1,
            TimeScale = 2000,
            InputBlanks = 20,
            Printers = printers,
            HotFolder = new HotFolderOptions { Folder = Hot, PollInterval = TimeSpan.FromMilliseconds(100), SettleTime = TimeSpan.FromMilliseconds(300) },
        },
        TimeProvider.System,
        NullLoggerFactory.Instance,
        CancellationToken.None);

    private string StatusOf(string name, string key) => HotFolderStatus.ReadValues(HotFolderFiles.StatusPath(Hot, name), key).LastOrDefault() ?? "";

    private Task WaitForFileAsync(string file) =>
        Wait.UntilAsync(() => Task.FromResult(File.Exists(Path.Combine(Hot, file))), Patience, () => $"{file}; the hot folder holds {string.Join(", ", Directory.EnumerateFiles(Hot).Select(Path.GetFileName))}");

    /// <summary>Sends the command once the controller takes it (after a start, not before the node connected).</summary>
    private static Task SendToDriveAsync(EmbeddedFarm farm, DriveAction action) =>
        Wait.UntilAsync(
            async () => await farm.Controller.Ask<object>(
                new ControlDrive(new DriveCommand(EmbeddedFarmOptions.DriveIdOf("T1", 1), action, "test", "hot folder test")), TimeSpan.FromSeconds(30)) is CommandAccepted,
            Patience,
            () => $"the controller to take {action} for the drive");

    [Fact]
    public async Task A_request_goes_through_every_state_to_DON_across_a_controller_restart_as_one_job()
    {
        string jobId;
        await using (var farm = await StartAsync())
        {
            // The only drive paused (kept so in the node's journal): the job waits, queued, while the controller stops.
            await farm.WaitUntilAsync(s => s.Drives.Values.Any(d => d.Status == DriveStatus.Idle), Patience, "the drive to be idle");
            await SendToDriveAsync(farm, DriveAction.Pause);
            await farm.WaitUntilAsync(s => s.Drives.Values.All(d => d.Status == DriveStatus.Paused), Patience, "the drive to be paused");

            await File.WriteAllTextAsync(Path.Combine(Hot, "order.JRQ"), $"JobID=Order 17\nClientID=tests\nCopies=2\nImageFile={Image}\nVerifyDisc=YES\nLabelStock=glossy\n");
            await WaitForFileAsync("order.QRJ");
            jobId = StatusOf("order", "FarmJob");
            await farm.WaitUntilAsync(s => s.Jobs.ContainsKey(jobId), Patience, $"job {jobId} to be submitted");
        }

        Assert.True(File.Exists(Path.Combine(Hot, "order.QRJ")), "the request is no longer .QRJ after the controller stopped");
        await using (var farm = await StartAsync())
        {
            await SendToDriveAsync(farm, DriveAction.Resume);
            await WaitForFileAsync("order.DON");

            var state = await farm.StateAsync(CancellationToken.None);
            var job = Assert.Single(state.Jobs.Values);
            Assert.Equal((jobId, JobStatus.Completed, 2), (job.JobId, job.Status, job.Verified));
        }

        Assert.Equal(["QRJ", "INP", "DON"], HotFolderStatus.ReadValues(HotFolderFiles.StatusPath(Hot, "order"), "History").Select(h => h[..3]));
        Assert.Equal(("2", "0", "Order 17", "tests"), (StatusOf("order", "GoodDiscs"), StatusOf("order", "BadDiscs"), StatusOf("order", "JobID"), StatusOf("order", "ClientID")));
        Assert.StartsWith("line 6: LabelStock", StatusOf("order", "UnknownKey"), StringComparison.Ordinal);
        Assert.Equal(["order.DON", "order.STATUS"], Directory.EnumerateFiles(Hot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_request_still_being_written_is_taken_only_once_complete()
    {
        await using var farm = await StartAsync();
        var path = Path.Combine(Hot, "slow.JRQ");
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            await writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"ImageFile={Image}\nCopies="));
            await writer.FlushAsync();
            var watcher = farm.HotFolder!;
            var from = watcher.Scans;
            await Wait.UntilAsync(() => Task.FromResult(watcher.Scans >= from + 6), Patience, () => "six scans of the hot folder");

            Assert.Equal(["slow.JRQ"], Directory.EnumerateFiles(Hot).Select(Path.GetFileName));
            await writer.WriteAsync("3\n"u8.ToArray());
        }

        await WaitForFileAsync("slow.DON");
        var job = Assert.Single((await farm.StateAsync(CancellationToken.None)).Jobs.Values);
        Assert.Equal((3, 3), (job.Copies, job.Verified));
    }

    [Fact]
    public async Task A_Data_folder_is_mastered_burned_to_DON_and_its_image_removed_afterwards()
    {
        var data = _folder.PathOf("release");
        Directory.CreateDirectory(Path.Combine(data, "docs"));
        await File.WriteAllTextAsync(Path.Combine(data, "readme.txt"), "hello\n");
        await File.WriteAllBytesAsync(Path.Combine(data, "docs", "manual.bin"), new byte[300_000]);
        await using var farm = await StartAsync();

        await File.WriteAllTextAsync(Path.Combine(Hot, "data.JRQ"), $"JobID=release\nCopies=2\nData={data}\nVerifyDisc=YES\n");
        await WaitForFileAsync("data.DON");

        var job = Assert.Single((await farm.StateAsync(CancellationToken.None)).Jobs.Values);
        Assert.Equal((JobStatus.Completed, 2), (job.Status, job.Verified));
        Assert.Equal(Path.Combine(Hot, ".mastered", job.JobId + ".iso"), job.ImagePath);
        Assert.False(File.Exists(job.ImagePath), "the mastered image is still there after the job ended");
        Assert.Equal("2", StatusOf("data", "GoodDiscs"));
    }

    [Fact]
    public async Task A_request_the_farm_cannot_burn_ends_ERR_with_the_reason_and_no_job()
    {
        await using var farm = await StartAsync();

        await File.WriteAllTextAsync(Path.Combine(Hot, "odd.JRQ"), $"ImageFile={_folder.PathOf("missing.iso")}\nCopies=1\n");
        await WaitForFileAsync("odd.ERR");

        Assert.StartsWith("line 1: ImageFile: ", StatusOf("odd", "Error"), StringComparison.Ordinal);
        Assert.Empty((await farm.StateAsync(CancellationToken.None)).Jobs);
    }

    [Fact]
    public async Task A_labelled_request_no_tower_can_print_ends_ERR_with_the_reason_and_no_job()
    {
        await File.WriteAllTextAsync(Path.Combine(Hot, "label.txt"), "{job} copy {copy}");
        await using var farm = await StartAsync(printers: false);
        await farm.WaitUntilAsync(s => s.Towers.ContainsKey("T1"), Patience, "the tower to report its bins and printer");

        await File.WriteAllTextAsync(Path.Combine(Hot, "labelled.JRQ"), $"JobID=labelled\nCopies=1\nImageFile={Image}\nPrintLabel=label.txt\n");
        await WaitForFileAsync("labelled.ERR");

        Assert.Contains("no tower holding DVD+R media can print it (T1", StatusOf("labelled", "Error"), StringComparison.Ordinal);
        Assert.Empty((await farm.StateAsync(CancellationToken.None)).Jobs);
    }
}
