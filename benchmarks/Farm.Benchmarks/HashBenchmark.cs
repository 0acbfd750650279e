using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Farm.Benchmarks;

/// <summary>
/// What the SHA-256 on the fly costs alone: <c>farm-bench sha256 MIB</c> hashes MIB MiB of
/// in-memory data in 1 MiB pieces through <see cref="IncrementalHash"/>, the way the sector
/// sources hash the image (OpenSSL underneath, with the SHA extensions where the CPU has them),
/// and reports CPU seconds per GB: the share of the pipeline's CPU per GB that is the hash.
/// </summary>
internal static class HashBenchmark
{
    public static int Run(int mebibytes)
    {
        var chunk = new byte[1024 * 1024];
        new Random(1).NextBytes(chunk);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(chunk); // the first call loads OpenSSL: not part of the per-GB cost
        hash.GetHashAndReset();
        var cpu = Program.CpuTime();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < mebibytes; i++)
        {
            hash.AppendData(chunk);
        }

        hash.GetHashAndReset();
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Program.CpuTime() - cpu).TotalSeconds;
        var gigabytes = mebibytes * (double)chunk.Length / 1e9;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sha256 bytes={mebibytes * (long)chunk.Length} seconds={seconds:F3} mbps={gigabytes * 1e3 / seconds:F0} cpu_seconds={cpuSeconds:F3} cpu_per_gb={cpuSeconds / gigabytes:F3}"));
        return 0;
    }
}
