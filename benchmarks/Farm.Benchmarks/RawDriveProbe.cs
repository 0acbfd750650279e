using System.Diagnostics;
using System.Globalization;
using Farm.Device.Mmc;
using Farm.Device.Simulation;

namespace Farm.Benchmarks;

/// <summary>
/// The simulated drive alone, without the write path: one loop of 64 KiB WRITE(10)s from one
/// buffer into a real-time BD-R 16x. Separates what the simulator's pacing costs from what the
/// pipeline costs.
/// </summary>
internal static class RawDriveProbe
{
    public static async Task<int> RunAsync(double seconds)
    {
        await using var drive = new SimulatedDrive(new SimulatedDriveOptions { WriteSpeedX = 16, BufferUnderrunFree = true });
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.BdRSequential), "raw", new DiscardingMediaStore()));
        var mmc = new MmcDrive(drive, TimeProvider.System);
        await mmc.WaitUntilReadyAsync(afterMediumChange: true, CancellationToken.None).ConfigureAwait(false);
        var payload = new byte[64 * 1024];
        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        var lba = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await mmc.WriteAsync(lba, payload, streamingWrite12: false, CancellationToken.None).ConfigureAwait(false);
            lba += 32;
        }

        var cpuSeconds = (Program.CpuTime() - cpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"raw seconds={clock.Elapsed.TotalSeconds:F1} mbps={lba * 2048.0 / 1e6 / clock.Elapsed.TotalSeconds:F1} cpu_seconds={cpuSeconds:F1} underruns={drive.Underruns}"));
        return 0;
    }
}
