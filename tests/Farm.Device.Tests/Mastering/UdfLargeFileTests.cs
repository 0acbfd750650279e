using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Farm.Device.Mastering;
using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// A file over 4 GiB in UDF: one File Entry whose allocation descriptors chain extents of under
/// 1 GiB (UDF 2.3.10), read back whole by 7-Zip. The source and the image are sparse and 7-Zip
/// streams the file into a hash, so the test writes little to disk. In the bridge the same blocks
/// are also the file's ISO 9660 extents (level 3), read by xorriso.
/// </summary>
public sealed class UdfLargeFileTests : IDisposable
{
    private const long Size = (4L * 1024 * 1024 * 1024) + 5000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly TempDirectory _temp = new("farm-udf-huge");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("1.02", false)] // short allocation descriptors
    [InlineData("2.50", false)] // long ones, from the metadata partition into the physical one
    [InlineData("2.01", true)]  // the bridge: UDF extents and ISO 9660 extents over the same blocks
    public async Task A_file_over_4_gib_is_one_entry_of_1_gib_extents_that_7zip_extracts_whole(string revision, bool bridge)
    {
        var root = _temp.PathOf("in");
        Directory.CreateDirectory(root);
        var huge = Path.Combine(root, "huge.img");
        await using (var file = File.Create(huge))
        {
            file.SetLength(Size);
            // Marks at the start, astride every extent boundary, and at the end.
            foreach (var at in Marks)
            {
                file.Position = at;
                await file.WriteAsync(Mark(at));
            }
        }

        await File.WriteAllTextAsync(Path.Combine(root, "small.txt"), "small\n");
        var plan = UdfImagePlan.Create(root, new UdfMasteringOptions { Revision = UdfMasteringOptions.ParseRevision(revision)!.Value, Bridge = bridge });
        var image = _temp.PathOf("huge.udf");
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
        if (bridge)
        {
            await AssertIsoSideAsync(image);
        }
    }

    /// <summary>Marks at the start, astride every UDF extent boundary and the ISO one, and at the end.</summary>
    private static long[] Marks =>
        [0, .. Enumerable.Range(1, 4).Select(extent => (extent * UdfLayout.MaxExtentBytes) - 3), IsoFile.MaxExtentBytes - 3, Size - 4];

    private static byte[] Mark(long at) => BitConverter.GetBytes(at ^ 0x5A5A5A5A5A5A5A5AL)[..(int)Math.Min(8, Size - at)];

    /// <summary>xorriso reads the file's size from its ISO extents and the marks through them.</summary>
    private async Task AssertIsoSideAsync(string image)
    {
        var found = await IsoTools.XorrisoAsync("-abort_on", "WARNING", "-indev", image, "-find", "/huge.img", "-exec", "lsdl");
        Assert.Matches($" {Size} .* '/huge.img'", found);
        foreach (var at in Marks)
        {
            var piece = _temp.PathOf($"piece-{at}");
            var length = Mark(at).Length.ToString(CultureInfo.InvariantCulture);
            await IsoTools.XorrisoAsync("-osirrox", "on", "-indev", image, "-extract_cut", "/huge.img", at.ToString(CultureInfo.InvariantCulture), length, piece);
            Assert.Equal(Mark(at), await File.ReadAllBytesAsync(piece));
        }
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
