using System.Diagnostics;
using System.Security.Cryptography;
using Farm.Device.Mastering;
using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// A file over 4 GiB in UDF: one File Entry whose allocation descriptors chain extents of under
/// 1 GiB (UDF 2.3.10), read back whole by 7-Zip. The source and the image are sparse and 7-Zip
/// streams the file into a hash, so the test writes little to disk.
/// </summary>
public sealed class UdfLargeFileTests : IDisposable
{
    private const long Size = (4L * 1024 * 1024 * 1024) + 5000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly TempDirectory temp = new("farm-udf-huge");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData("1.02")] // short allocation descriptors
    [InlineData("2.50")] // long ones, from the metadata partition into the physical one
    public async Task A_file_over_4_gib_is_one_entry_of_1_gib_extents_that_7zip_extracts_whole(string revision)
    {
        var root = temp.PathOf("in");
        Directory.CreateDirectory(root);
        var huge = Path.Combine(root, "huge.img");
        await using (var file = File.Create(huge))
        {
            file.SetLength(Size);
            // Marks at the start, astride every extent boundary, and at the end.
            long[] marks = [0, UdfLayout.MaxExtentBytes - 3, (2 * UdfLayout.MaxExtentBytes) - 3, (3 * UdfLayout.MaxExtentBytes) - 3, (4 * UdfLayout.MaxExtentBytes) - 3, Size - 4];
            foreach (var at in marks)
            {
                file.Position = at;
                await file.WriteAsync(BitConverter.GetBytes(at ^ 0x5A5A5A5A5A5A5A5AL).AsMemory(0, (int)Math.Min(8, Size - at)));
            }
        }

        await File.WriteAllTextAsync(Path.Combine(root, "small.txt"), "small\n");
        var plan = UdfImagePlan.Create(root, new UdfMasteringOptions { Revision = UdfMasteringOptions.ParseRevision(revision)!.Value });
        var image = temp.PathOf("huge.udf");
        using (var sparse = new SparseFile(image))
        {
            await plan.WriteAsync(sparse, CancellationToken.None);
        }

        Assert.Equal(plan.Bytes, new FileInfo(image).Length);
        var info = await UdfTools.UdfInfoAsync(image);
        Assert.Equal(revision, info["udfrev"]);
        Assert.Equal(2, UdfTools.Number(info, "numfiles"));
        var listing = await UdfTools.ListAsync(image);
        Assert.Contains($"Path = huge.img\nFolder = -\nSize = {Size}\n", listing, StringComparison.Ordinal);

        var (extractedBytes, extractedHash) = await ExtractHashAsync(image, "huge.img");

        Assert.Equal(Size, extractedBytes);
        Assert.Equal(await HashAsync(huge), extractedHash);
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    /// <summary>`7zz e -so`: the file's bytes on 7-Zip's standard output, hashed as they come.</summary>
    private static async Task<(long Bytes, string Sha256)> ExtractHashAsync(string image, string name)
    {
        var start = new ProcessStartInfo("7zz") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["e", "-so", image, name])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start 7zz; test.sh installs 7zip");
        using var cancel = new CancellationTokenSource(Patience);
        var error = process.StandardError.ReadToEndAsync(cancel.Token);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        long total = 0;
        try
        {
            for (int read; (read = await process.StandardOutput.BaseStream.ReadAsync(buffer, cancel.Token)) > 0; total += read)
            {
                sha.AppendData(buffer, 0, read);
            }

            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"7zz e -so {image} {name} did not end within {Patience}");
        }

        Assert.True(process.ExitCode == 0, $"7zz exited {process.ExitCode}: {await error}");
        return (total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }
}
