using System.Diagnostics;
using System.Globalization;

namespace Farm.Benchmarks;

/// <summary>
/// Measurements, not tests: <c>farm-bench pipeline IMAGE MEDIA_FILE</c> writes an image through the
/// data writer into a file-backed simulated drive with no speed limit; <c>farm-bench farm IMAGE
/// DRIVES SECONDS</c> drives that many simulated real-time BD-R 16x drives from one image through
/// the shared image cache; <c>farm-bench master FOLDER IMAGE</c> masters a folder into an ISO
/// 9660 + Joliet image as <c>farm master</c> does (<c>--udf</c>/<c>--bridge REVISION</c>: UDF, the
/// bridge; <c>--plan-only FOLDER</c>: planning alone); <c>farm-bench sha256 MIB</c> times the image
/// hash alone; <c>farm-bench scale</c> runs a real controller and many in-process nodes through a
/// large job (<see cref="Scale.ScaleBenchmark"/>); <c>farm-bench farmsize</c> runs a real controller
/// against hundreds of logical nodes with protocol-level simulated drives (<see cref="FarmSize.FarmSizeBenchmark"/>).
/// Each prints one <c>key=value</c> line that benchmarks/run.sh collects.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 3 && args[0] == "pipeline")
        {
            return await PipelineBenchmark.RunAsync(args[1], args[2], args[3..]).ConfigureAwait(false);
        }

        if (args.Length >= 1 && args[0] == "master")
        {
            return await MasteringBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length >= 2 && args[0] == "sha256")
        {
            return HashBenchmark.Run(int.Parse(args[1], CultureInfo.InvariantCulture));
        }

        if (args.Length >= 1 && args[0] == "recovery")
        {
            return await Cluster.RecoveryBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length >= 1 && args[0] == "scale")
        {
            return await Scale.ScaleBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length >= 1 && args[0] == "scale-figures")
        {
            return await Scale.ScaleBenchmark.FiguresAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length >= 1 && args[0] == "farmsize")
        {
            return await FarmSize.FarmSizeBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length >= 1 && args[0] == "decide")
        {
            return FarmSize.DecideBenchmark.Run(args[1..]);
        }

        if (args.Length >= 1 && args[0] == "delivery")
        {
            return await Cluster.DeliveryLatency.RunAsync(args[1..]).ConfigureAwait(false);
        }

        if (args.Length >= 2 && args[0] == "raw")
        {
            return await RawDriveProbe.RunAsync(double.Parse(args[1], CultureInfo.InvariantCulture)).ConfigureAwait(false);
        }

        if (args.Length >= 4 && args[0] == "farm")
        {
            return await FarmBenchmark.RunAsync(
                args[1],
                int.Parse(args[2], CultureInfo.InvariantCulture),
                double.Parse(args[3], CultureInfo.InvariantCulture),
                args.Length >= 5 ? int.Parse(args[4], CultureInfo.InvariantCulture) * 1024 : 64 * 1024,
                args.Length >= 6 && args[5] == "unlimited").ConfigureAwait(false);
        }

        await Console.Error.WriteLineAsync("usage: " + PipelineBenchmark.Usage + " | farm-bench farm IMAGE DRIVES SECONDS [WRITE_KIB [unlimited]] | farm-bench raw SECONDS | farm-bench sha256 MIB | farm-bench recovery STORE EVENTS [RUNS] | farm-bench delivery STORE NODE_DATA... | " + Scale.ScaleOptions.Usage + " | " + FarmSize.FarmSizeOptions.Usage + " | " + FarmSize.DecideBenchmark.Usage + " | " + MasteringBenchmark.Usage).ConfigureAwait(false);
        return 1;
    }

    /// <summary>CPU time of this process so far (user + system).</summary>
    public static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
