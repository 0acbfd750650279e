using System.Globalization;
using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// UDF images read by tools we did not write: udfinfo (udftools) reads the volume, 7-Zip lists
/// it as UDF and extracts every file byte for byte, with names UDF holds and Joliet does not
/// (over 64 characters, 16-bit ones, outside the BMP) and a tree deeper than ISO 9660 allows.
/// </summary>
public sealed class UdfReaderTests : IDisposable
{
    /// <summary>
    /// 254 Latin-1 characters: the longest 8-bit UDF name (255 bytes with the compression ID), and
    /// the longest Linux holds (255 bytes of UTF-8, the 'é' taking two).
    /// </summary>
    private static readonly string LongestLatinName = "é" + new string('n', 249) + ".txt";

    /// <summary>84 characters in 16-bit CS0 (169 bytes; Linux's 255 bytes of UTF-8 hold no more of these).</summary>
    private static readonly string LongWideName = string.Concat(Enumerable.Repeat("日本語のファイル名", 9))[..80] + ".txt";

    private static readonly string DeepFolder = string.Join('/', Enumerable.Range(1, 12).Select(level => $"level {level}"));
    private static readonly DateTime Fixed = new(2024, 5, 17, 12, 34, 56, DateTimeKind.Utc);

    private readonly SampleTree _tree = new();

    public UdfReaderTests()
    {
        _tree.Write(LongestLatinName, "latin\n"u8.ToArray());
        _tree.Write($"docs/{LongWideName}", "wide\n"u8.ToArray());
        _tree.Write("docs/smile 😀 outside the BMP.txt", "astral\n"u8.ToArray());
        _tree.Write($"{DeepFolder}/bottom.txt", "deep\n"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(_tree.Root, "empty folder", "empty too"));
        SetTimes(_tree.Root);
    }

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("1.02")]
    [InlineData("2.01")]
    [InlineData("2.50")]
    public async Task Udfinfo_reads_the_revision_label_counts_and_size(string revision)
    {
        var (plan, image) = await MasterAsync(revision);

        var info = await UdfTools.UdfInfoAsync(image);

        Assert.Equal(revision, info["udfrev"]);
        Assert.Equal("Release 1.0 été", info["label"]);
        Assert.Equal("Release 1.0 été", info["fsid"]);
        Assert.Equal("closed", info["integrity"]);
        Assert.Equal(plan.Blocks, UdfTools.Number(info, "blocks"));
        Assert.Equal(Directory.GetFiles(_tree.Root, "*", SearchOption.AllDirectories).Length, UdfTools.Number(info, "numfiles"));
        Assert.Equal(Directory.GetDirectories(_tree.Root, "*", SearchOption.AllDirectories).Length + 1, UdfTools.Number(info, "numdirs"));
        Assert.Equal(plan.FileCount, UdfTools.Number(info, "numfiles"));
        Assert.Equal(plan.DirectoryCount, UdfTools.Number(info, "numdirs"));
    }

    [Theory]
    [InlineData("1.02")]
    [InlineData("2.01")]
    [InlineData("2.50")]
    public async Task Seven_zip_sees_udf_and_extracts_the_tree_byte_for_byte_with_its_times(string revision)
    {
        var (_, image) = await MasterAsync(revision);
        var extracted = _tree.Scratch($"extracted-{revision}");

        var listing = await UdfTools.ListAsync(image);
        await UdfTools.ExtractAsync(image, extracted);

        Assert.Contains("Type = Udf", listing, StringComparison.Ordinal);
        Assert.Contains($"Version = {revision}", listing, StringComparison.Ordinal);
        TreeAssert.SameFiles(_tree.Root, extracted);
        Assert.True(File.Exists(Path.Combine(extracted, LongestLatinName)));
        Assert.True(File.Exists(Path.Combine(extracted, DeepFolder, "bottom.txt")));
        foreach (var file in Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(Fixed, File.GetLastWriteTimeUtc(file));
        }
    }

    [Fact]
    public async Task Seven_zip_lists_the_modification_time_of_files_and_folders()
    {
        var (_, image) = await MasterAsync("2.01");

        var listing = await UdfTools.ListAsync(image);

        var stamp = "Modified = " + Fixed.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        Assert.Contains($"Path = {DeepFolder.Replace('/', Path.DirectorySeparatorChar)}\nFolder = +\nSize = ", listing, StringComparison.Ordinal);
        var body = listing[(listing.IndexOf("\n----------\n", StringComparison.Ordinal) + 12)..]; // the entries follow the archive's own
        var entries = body.Split("\n\n").Where(entry => entry.StartsWith("Path = ", StringComparison.Ordinal)).ToList();
        Assert.Equal(TreeAssert.Listing(_tree.Root).Length, entries.Count);
        Assert.All(entries, entry => Assert.Contains(stamp, entry, StringComparison.Ordinal));
    }

    private async Task<(UdfImagePlan Plan, string Image)> MasterAsync(string revision)
    {
        var options = new UdfMasteringOptions { Revision = UdfMasteringOptions.ParseRevision(revision)!.Value, VolumeId = "Release 1.0 été" };
        var plan = UdfImagePlan.Create(_tree.Root, options);
        var image = _tree.Scratch($"out-{revision}.udf");
        await using (var file = File.Create(image))
        {
            await plan.WriteAsync(file, CancellationToken.None);
        }

        return (plan, image);
    }

    // Folders last: writing into a folder changes its time.
    private static void SetTimes(string folder)
    {
        foreach (var file in Directory.GetFiles(folder))
        {
            File.SetLastWriteTimeUtc(file, Fixed);
        }

        foreach (var sub in Directory.GetDirectories(folder))
        {
            SetTimes(sub);
        }

        Directory.SetLastWriteTimeUtc(folder, Fixed);
    }
}
