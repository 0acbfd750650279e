using Farm.Device.Mastering;
using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// A folder whose directory records fill several blocks (ECMA-119 6.8.1.1: a record never crosses
/// a block); in UDF, whose File Identifier Descriptors run on across block boundaries.
/// </summary>
public sealed class LargeFolderTests : IDisposable
{
    private const int Files = 300;
    private readonly TempDirectory _temp = new("farm-master-large");

    public LargeFolderTests()
    {
        Directory.CreateDirectory(Root);
        for (var i = 0; i < Files; i++)
        {
            File.WriteAllText(Path.Combine(Root, $"a rather long file name number {i:D4} of many.txt"), $"file {i}");
        }
    }

    private string Root => _temp.PathOf("many");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Xorriso_extracts_every_file_of_a_folder_whose_records_span_several_blocks()
    {
        var plan = IsoImagePlan.Create(Root, IsoMasteringOptions.Default);
        var image = _temp.PathOf("many.iso");
        await using (var file = File.Create(image))
        {
            await plan.WriteAsync(file, CancellationToken.None);
        }

        var extracted = _temp.PathOf("out");
        await IsoTools.ExtractAsync(image, extracted);
        var primary = await IsoTools.IsoInfoAsync("-l", "-i", image);

        Assert.Equal(Files, Directory.GetFiles(extracted).Length);
        Assert.Equal("file 299", await File.ReadAllTextAsync(Path.Combine(extracted, "a rather long file name number 0299 of many.txt")));
        Assert.Equal(Files, primary.Split('\n').Count(line => line.Contains(".TXT;1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Seven_zip_extracts_every_file_of_a_udf_folder_whose_identifiers_cross_block_boundaries()
    {
        var plan = UdfImagePlan.Create(Root, UdfMasteringOptions.Default);
        var image = _temp.PathOf("many.udf");
        await using (var file = File.Create(image))
        {
            await plan.WriteAsync(file, CancellationToken.None);
        }

        var extracted = _temp.PathOf("udf");
        await UdfTools.ExtractAsync(image, extracted);

        var root = new FolderScanner(FolderScanner.ProveReadable, interchangeLevel: 3).Scan(Root);
        UdfNames.Assign(root.Children);

        // 40 bytes for the parent, 88 for each name of 47 characters: 2048 is not a multiple of 88, so some cross.
        Assert.Equal(40 + (Files * 88), UdfEntries.DirectoryBytes(root));
        TreeAssert.SameFiles(Root, extracted);
        Assert.Equal(Files, UdfTools.Number(await UdfTools.UdfInfoAsync(image), "numfiles"));
    }

    [Fact]
    public void No_record_crosses_a_block_boundary_in_either_tree()
    {
        var root = new FolderScanner(FolderScanner.ProveReadable, interchangeLevel: 3).Scan(Root);
        IsoLayout.Plan(root, interchangeLevel: 2);

        foreach (var tree in (IsoTree[])[IsoTree.Primary, IsoTree.Joliet])
        {
            var extent = DirectoryExtent.Build(root, tree);
            Assert.True(extent.Length > 2048, $"the {tree} extent should span several blocks");
            var records = 0;
            for (var at = 0; at < extent.Length;)
            {
                if (extent[at] == 0)
                {
                    at = ((at / 2048) + 1) * 2048; // the rest of the block is zeros
                    continue;
                }

                Assert.Equal(at / 2048, (at + extent[at] - 1) / 2048);
                records++;
                at += extent[at];
            }

            Assert.Equal(Files + 2, records);
        }
    }
}
