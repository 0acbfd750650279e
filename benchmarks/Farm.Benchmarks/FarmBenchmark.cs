using System.Diagnostics;
using System.Globalization;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;

namespace Farm.Benchmarks;

/// <summary>
/// One node feeding many real-time drives from one image: simulated BD-R drives at 16x (72 MB/s)
/// on the real clock (time scale 1), buffer-underrun-free off so a starved drive really loses its
/// disc, all reading through one <see cref="SharedImageCache"/>. Runs for a bounded time, then
/// reports underruns, discs lost, bytes written, bytes read from disk and CPU use.
/// </summary>
internal static class FarmBenchmark
{
    public static async Task<int> RunAsync(string imagePath, int driveCount, double seconds, int chunkBytes, bool unlimited)
    {
        var image = ImageSource.Open(imagePath);
        await using var cache = new SharedImageCache();
        var drives = Enumerable.Range(0, driveCount).Select(i => new SimulatedDrive(new SimulatedDriveOptions
        {
            Name = $"sim:bd{i:D2}",
            MaxTransferBytes = Math.Max(64 * 1024, chunkBytes),
            BufferUnderrunFree = false,
            TimeScale = 1,
            UnlimitedSpeed = unlimited,
            WriteSpeedX = 16,
            CloseTrackDuration = TimeSpan.Zero,
            CloseSessionDuration = TimeSpan.Zero,
            FinalizeDuration = TimeSpan.Zero,
        })).ToList();
        foreach (var (drive, i) in drives.Select((d, i) => (d, i)))
        {
            drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.BdRSequential), $"BD-R#{i}", new DiscardingMediaStore()));
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        var phases = drives.Select(_ => new WritePhase(clock)).ToList();
        var outcomes = await Task.WhenAll(drives.Select((drive, i) => BurnAsync(drive, cache, image, chunkBytes, phases[i], stop.Token))).ConfigureAwait(false);
        clock.Stop();
        var cpuSeconds = (Program.CpuTime() - cpu).TotalSeconds;

        var written = drives.Sum(d => d.BytesWritten);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"farm{(unlimited ? "-unlimited" : "")} drives={driveCount} chunk_bytes={chunkBytes} seconds={clock.Elapsed.TotalSeconds:F1} underruns={drives.Sum(d => d.Underruns)} lost={outcomes.Count(o => o == "lost")} finished={outcomes.Count(o => o == "done")} stopped={outcomes.Count(o => o == "stopped")} other={outcomes.Count(o => o.StartsWith("error", StringComparison.Ordinal))} ")
            + string.Create(CultureInfo.InvariantCulture,
            $"written_bytes={written} per_drive_mbps={written / 1e6 / clock.Elapsed.TotalSeconds / driveCount:F1} total_mbps={written / 1e6 / clock.Elapsed.TotalSeconds:F0} image_bytes={image.Length} disk_bytes_read={cache.DiskBytesRead.Total} cpu_seconds={cpuSeconds:F1} cpu_percent_of_machine={100 * cpuSeconds / clock.Elapsed.TotalSeconds / Environment.ProcessorCount:F0}");
        Console.WriteLine(line);
        var done = phases.Where(p => p.Seconds > 0).Select(p => image.Length / 1e6 / p.Seconds).ToList();
        Console.WriteLine(done.Count == 0
            ? "write_phase: no drive finished (rate over the write phase: from the first WRITE to the end of the burn)"
            : string.Create(CultureInfo.InvariantCulture,
                $"write_phase drives_finished={done.Count} per_drive_mbps_min={done.Min():F1} per_drive_mbps_avg={done.Average():F1} per_drive_mbps_max={done.Max():F1} "
                + $"before_first_write_seconds_avg={phases.Where(p => p.Seconds > 0).Average(p => p.FirstWrite.TotalSeconds):F2} (rate over the write phase: the image's bytes / the time from the drive's first WRITE to the end of its burn, the final buffer drain included)"));
        foreach (var other in outcomes.Where(o => o.StartsWith("error", StringComparison.Ordinal)).Distinct())
        {
            Console.WriteLine(other);
        }

        foreach (var drive in drives)
        {
            await drive.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<string> BurnAsync(SimulatedDrive drive, SharedImageCache cache, ImageSource image, int chunkBytes, WritePhase phase, CancellationToken stop)
    {
        var mmc = new MmcDrive(drive, TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(10) });
        var writer = new DataWriter(mmc, new DataWriterOptions { Verify = VerifyMode.None, BufferUnderrunFree = false, ChunkBytes = chunkBytes });
        var cursor = cache.OpenCursor(image);
        await using (cursor.ConfigureAwait(false))
        {
            try
            {
                await writer.WriteAsync(cursor, image.Blocks, phase, stop).ConfigureAwait(false);
                phase.Finished();
                return "done";
            }
            catch (OperationCanceledException)
            {
                return "stopped";
            }
            catch (DeviceException failure) when (failure.Error.Error == ImapiErrors.LossOfStreaming)
            {
                return "lost";
            }
            catch (DeviceException failure)
            {
                return $"error {failure.Error.Error.Name}: {failure.Error.Message}";
            }
        }
    }

    /// <summary>
    /// When a drive's data phase starts (the writer's first WritingData report, after the
    /// simulated power calibration) and ends: the figure a drive's speed is judged on, where the
    /// whole run's average also counts the calibration (2 s per disc by default).
    /// </summary>
    private sealed class WritePhase(Stopwatch clock) : IProgress<WriteProgress>
    {
        private long _firstWriteTicks = -1;
        private long _endTicks = -1;

        public TimeSpan FirstWrite => TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref _firstWriteTicks)));

        /// <summary>Seconds from the first WRITE to the end of the burn; 0 unless it finished.</summary>
        public double Seconds => _endTicks < 0 || _firstWriteTicks < 0 ? 0 : TimeSpan.FromTicks(_endTicks - _firstWriteTicks).TotalSeconds;

        public void Report(WriteProgress value)
        {
            if (value.Action == WriteAction.WritingData && Interlocked.Read(ref _firstWriteTicks) < 0)
            {
                Interlocked.CompareExchange(ref _firstWriteTicks, clock.Elapsed.Ticks, -1);
            }
        }

        public void Finished() => _endTicks = clock.Elapsed.Ticks;
    }
}
