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
/// includes the data being on disk (as dd conv=fsync). Options that split the CPU for the record:
/// <c>--write-kib N</c> sends N KiB per WRITE instead of the profile's 64 KiB (the per-WRITE
/// cost), <c>--no-hash</c> reads the image without the SHA-256 (<see cref="UnhashedImageSource"/>:
/// the hash's cost; not a product mode).
/// </summary>
internal static class PipelineBenchmark
{
    private const int Fifo = 16 * 1024 * 1024;

    public const string Usage = "farm-bench pipeline IMAGE MEDIA_FILE [--write-kib N] [--no-hash]";

    public static async Task<int> RunAsync(string imagePath, string mediaPath, IReadOnlyList<string> flags)
    {
        int? writeBytes = null;
        var hash = true;
        for (var i = 0; i < flags.Count; i++)
        {
            switch (flags[i])
            {
                case "--no-hash":
                    hash = false;
                    break;
                case "--write-kib" when i + 1 < flags.Count && int.TryParse(flags[i + 1], CultureInfo.InvariantCulture, out var kib) && kib > 0 && kib % 2 == 0:
                    writeBytes = kib * 1024;
                    i++;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"farm-bench pipeline: '{flags[i]}' is not an option here (--write-kib takes an even number of KiB); usage: {Usage}").ConfigureAwait(false);
                    return 1;
            }
        }

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
        var writer = new DataWriter(mmc, new DataWriterOptions { Verify = VerifyMode.None, FifoBytes = Fifo, ChunkBytes = writeBytes });

        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var collections = GC.CollectionCount(0);
        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        WriteResult written;
        if (hash)
        {
            written = await writer.WriteAsync(image, null, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            var unhashed = new UnhashedImageSource(imagePath, Fifo);
            await using (unhashed.ConfigureAwait(false))
            {
                written = await writer.WriteAsync(unhashed, image.Blocks, null, CancellationToken.None).ConfigureAwait(false);
            }
        }

        clock.Stop();
        var cpuSeconds = (Program.CpuTime() - cpu).TotalSeconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        collections = GC.CollectionCount(0) - collections;
        var seconds = clock.Elapsed.TotalSeconds;
        var gigabytes = image.Length / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pipeline bytes={image.Length} write_kib={(writeBytes ?? 64 * 1024) / 1024} hash={(hash ? "yes" : "no")} seconds={seconds:F3} mbps={image.Length / 1e6 / seconds:F1} cpu_seconds={cpuSeconds:F3} cpu_per_gb={cpuSeconds / gigabytes:F3} allocated_mib={allocated / 1048576.0:F1} gcs={collections} sha256={written.ImageSha256}"));
        return 0;
    }
}
