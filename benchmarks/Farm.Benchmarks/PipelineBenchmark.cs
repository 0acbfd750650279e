using System.Diagnostics;
using System.Globalization;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;

namespace Farm.Benchmarks;

/// <summary>
/// The write pipeline alone: image file -> reader FIFO -> WRITE commands -> a simulated BD-R whose
/// sectors are a file on the same disk, with no speed limit, so the disk and the pipeline's CPU
/// are all that bound it. SYNCHRONIZE CACHE reaches the media file's fsync, so the figure
/// includes the data being on disk (as dd conv=fsync).
/// </summary>
internal static class PipelineBenchmark
{
    public static async Task<int> RunAsync(string imagePath, string mediaPath)
    {
        var image = ImageSource.Open(imagePath);
        var options = new SimulatedDriveOptions
        {
            UnlimitedSpeed = true,
            CloseTrackDuration = TimeSpan.Zero,
            CloseSessionDuration = TimeSpan.Zero,
            FinalizeDuration = TimeSpan.Zero,
        };
        await using var drive = new SimulatedDrive(options);
        using var disc = SimulatedDisc.CreateFile(Profiles.Get(Profile.BdRSequential), "bench", mediaPath);
        drive.Insert(disc);
        var mmc = new MmcDrive(drive, TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });
        var writer = new DataWriter(mmc, new DataWriterOptions { Verify = VerifyMode.None, FifoBytes = 16 * 1024 * 1024 });

        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        var written = await writer.WriteAsync(image, null, CancellationToken.None).ConfigureAwait(false);
        clock.Stop();
        var cpuSeconds = (Program.CpuTime() - cpu).TotalSeconds;
        var seconds = clock.Elapsed.TotalSeconds;
        var gigabytes = image.Length / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pipeline bytes={image.Length} seconds={seconds:F3} mbps={image.Length / 1e6 / seconds:F1} cpu_seconds={cpuSeconds:F3} cpu_per_gb={cpuSeconds / gigabytes:F3} sha256={written.ImageSha256}"));
        return 0;
    }
}
