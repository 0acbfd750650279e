using System.Diagnostics;
using System.Globalization;
using Farm.Device.Mastering;

namespace Farm.Benchmarks;

/// <summary>
/// Mastering a folder the way <c>farm master</c> does: <see cref="IsoImagePlan.Create(string, IsoMasteringOptions)"/>
/// walks and lays out the folder, then the image is copied from its sector source (a reader
/// running ahead through a 16 MiB FIFO, SHA-256 on the fly) into a file, which is fsynced so the
/// figure includes the data reaching the disk (as dd conv=fsync). <c>--plan-only</c> plans twice
/// (first as it comes: cold cache if the caller dropped it; then again, warm) and reports the cost
/// per entry (files and folders) and the managed memory a plan holds (a third plan, kept alive
/// between two full collections). <c>--udf REVISION</c> masters UDF alone (<see cref="UdfImagePlan"/>),
/// <c>--bridge REVISION</c> the UDF + ISO 9660/Joliet bridge, as <c>farm master --udf</c> and
/// <c>--filesystem bridge</c> do.
/// </summary>
internal static class MasteringBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["--plan-only", var folder])
        {
            Plan(folder);
            return 0;
        }

        if (args is [var source, var image])
        {
            await MasterAsync(() => IsoImagePlan.Create(source, IsoMasteringOptions.Default), image).ConfigureAwait(false);
            return 0;
        }

        if (args is ["--udf" or "--bridge", var revision, var udfSource, var udfImage] && UdfMasteringOptions.ParseRevision(revision) is { } parsed)
        {
            var options = new UdfMasteringOptions { Revision = parsed, Bridge = args[0] == "--bridge" };
            await MasterAsync(() => UdfImagePlan.Create(udfSource, options), udfImage).ConfigureAwait(false);
            return 0;
        }

        await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
        return 1;
    }

    public const string Usage = "farm-bench master [--udf|--bridge 1.02|2.01|2.50] FOLDER IMAGE | farm-bench master --plan-only FOLDER";

    private static void Plan(string folder)
    {
        var (cold, coldSeconds, coldCpu) = Timed(() => IsoImagePlan.Create(folder, IsoMasteringOptions.Default));
        var (_, warmSeconds, warmCpu) = Timed(() => IsoImagePlan.Create(folder, IsoMasteringOptions.Default));
        var entries = cold.FileCount + cold.DirectoryCount;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var held = IsoImagePlan.Create(folder, IsoMasteringOptions.Default);
        var planBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(held);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plan files={cold.FileCount} folders={cold.DirectoryCount} blocks={cold.Blocks} seconds={coldSeconds:F3} cpu_seconds={coldCpu:F3} us_per_entry={coldSeconds * 1e6 / entries:F1} "
            + $"warm_seconds={warmSeconds:F3} warm_cpu_seconds={warmCpu:F3} warm_us_per_entry={warmSeconds * 1e6 / entries:F1} "
            + $"plan_heap_bytes={planBytes} heap_bytes_per_entry={planBytes / entries}"));
    }

    private static async Task MasterAsync(Func<ImagePlan> create, string image)
    {
        var (plan, planSeconds, planCpu) = Timed(create);
        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        string sha256;
        var source = plan.OpenSectorSource();
        await using (source.ConfigureAwait(false))
        {
            var file = new FileStream(image, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                for (var chunk = await source.NextAsync(CancellationToken.None).ConfigureAwait(false); !chunk.IsEmpty; chunk = await source.NextAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    await file.WriteAsync(chunk).ConfigureAwait(false);
                }

                file.Flush(flushToDisk: true);
            }

            sha256 = await source.GetSha256Async(CancellationToken.None).ConfigureAwait(false);
        }

        clock.Stop();
        var writeCpu = (Program.CpuTime() - cpu).TotalSeconds;
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"master bytes={plan.Bytes} files={plan.FileCount} folders={plan.DirectoryCount} plan_seconds={planSeconds:F3} plan_cpu_seconds={planCpu:F3} "
            + $"write_seconds={seconds:F3} write_cpu_seconds={writeCpu:F3} mbps={plan.Bytes / 1e6 / seconds:F1} sha256={sha256}"));
    }

    private static (T Result, double Seconds, double CpuSeconds) Timed<T>(Func<T> work)
    {
        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        var result = work();
        return (result, clock.Elapsed.TotalSeconds, (Program.CpuTime() - cpu).TotalSeconds);
    }
}
