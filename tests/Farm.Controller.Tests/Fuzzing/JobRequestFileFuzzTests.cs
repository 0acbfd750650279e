using Akka.Actor;
using Akka.Hosting;
using Farm.Controller.Api;
using Farm.Controller.Demo;
using Farm.Controller.HotFolder;
using Farm.Controller.Tests.EndToEnd;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Node.Cluster;
using Farm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Farm.Controller.Tests.Fuzzing;

/// <summary>
/// 400 generated <c>.JRQ</c> files (<see cref="JobRequestFiles"/>), each dropped alone into a hot
/// folder watched by the real <see cref="HotFolderWatcher"/> in front of the embedded farm's real
/// controller (its one drive paused, so accepted jobs wait): every file is either accepted (.QRJ,
/// its job known to the controller) or refused (.ERR, its NAME.STATUS giving the reason, and the
/// line when one line is at fault); a scan never throws. The seed is printed; FARM_FUZZ_SEED
/// replays a run.
/// </summary>
public sealed class JobRequestFileFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Files = 400;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _folder = new("jrq-fuzz");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Four_hundred_generated_job_request_files_each_end_accepted_or_ERR_with_the_reason_and_no_scan_throws()
    {
        var seed = FuzzSeed.Choose(ciSeed: 417206931, output.WriteLine);
        var hot = _folder.PathOf("hot");
        var data = _folder.PathOf("data");
        Directory.CreateDirectory(hot);
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "readme.txt"), "fuzz\n");
        var image = _folder.PathOf("image.iso");
        await File.WriteAllBytesAsync(image, new byte[64 * 2048]);
        await using var farm = await EmbeddedFarm.StartAsync(
            new EmbeddedFarmOptions { DataDirectory = _folder.PathOf("farm"), Drives = 1, TimeScale = 2000, Printers = false },
            TimeProvider.System,
            NullLoggerFactory.Instance,
            CancellationToken.None);
        await farm.WaitUntilAsync(s => s.Drives.Values.Any(d => d.Status == DriveStatus.Idle), Patience, "the drive to be idle");
        await Wait.UntilAsync(
            async () => await farm.Controller.Ask<object>(new ControlDrive(new DriveCommand(EmbeddedFarmOptions.DriveIdOf("T1", 1), DriveAction.Pause, "fuzz", "accepted jobs wait")), TimeSpan.FromSeconds(30)) is CommandAccepted,
            Patience,
            () => "the controller to take the pause");
        await farm.WaitUntilAsync(s => s.Drives.Values.All(d => d.Status == DriveStatus.Paused), Patience, "the drive to be paused");

        var registry = new ActorRegistry();
        registry.Register<FarmControllerKey>(farm.Controller);
        await using var services = new ServiceCollection().AddSingleton(registry).BuildServiceProvider();
        using var watcher = new HotFolderWatcher(
            new HotFolderOptions { Folder = hot, SettleTime = TimeSpan.Zero }.Validate(),
            new FarmControllerGateway(services, new FarmApiOptions { AskTimeout = TimeSpan.FromSeconds(30) }),
            TimeProvider.System,
            NullLogger<HotFolderWatcher>.Instance);
        var generator = new JobRequestFiles(seed, image, data);
        var (accepted, refused, withLine) = (0, 0, 0);
        for (var i = 0; i < Files; i++)
        {
            var file = generator.Next(i);
            var what = $"seed {seed}, file {i} ({file.Description})";
            await File.WriteAllBytesAsync(Path.Combine(hot, file.Name + ".JRQ"), file.Bytes);

            var scan = await Record.ExceptionAsync(() => watcher.ScanAsync(CancellationToken.None));

            Assert.True(scan is null, $"{what}: the scan threw {scan}");
            var status = HotFolderFiles.StatusPath(hot, file.Name);
            if (File.Exists(Path.Combine(hot, file.Name + ".ERR")))
            {
                refused++;
                var error = HotFolderStatus.ReadValues(status, "Error").LastOrDefault();
                Assert.False(string.IsNullOrWhiteSpace(error), $"{what}: .ERR without a reason");
                if (error!.StartsWith("line ", StringComparison.Ordinal))
                {
                    withLine++;
                    var line = int.Parse(error[5..error.IndexOf(':', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                    var lines = System.Text.Encoding.UTF8.GetString(file.Bytes).Split('\n').Length;
                    Assert.True(line >= 1 && line <= lines, $"{what}: the error names line {line} of a file of {lines} lines: {error}");
                }
            }
            else
            {
                Assert.True(File.Exists(Path.Combine(hot, file.Name + ".QRJ")), $"{what}: neither .ERR nor .QRJ; the folder holds {string.Join(", ", Directory.EnumerateFiles(hot).Select(Path.GetFileName))}");
                var jobId = HotFolderStatus.ReadValues(status, "FarmJob").LastOrDefault();
                Assert.True(jobId is not null && (await farm.StateAsync(CancellationToken.None)).Jobs.ContainsKey(jobId), $"{what}: accepted as job '{jobId}', which the controller does not know");
                accepted++;
            }

            foreach (var left in Directory.EnumerateFiles(hot, file.Name + ".*"))
            {
                File.Delete(left);
            }
        }

        output.WriteLine($"{accepted} accepted, {refused} refused ({withLine} naming a line)");
        Assert.True(accepted > 0, "no file was accepted: the generator's valid requests are not valid");
        Assert.True(refused > 0, "no file was refused: the generator's bad requests are not bad");
    }
}
