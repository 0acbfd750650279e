using System.Globalization;
using Farm.Device.Errors;
using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// The UDF bridge: one image, two file systems over the same file data. udfinfo and 7-Zip read
/// its UDF side, xorriso and isoinfo its ISO 9660 + Joliet side, each the whole tree byte for
/// byte, and the image holds each file's data once.
/// </summary>
public sealed class UdfBridgeTests : IDisposable
{
    private readonly SampleTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Theory]
    [InlineData("1.02")]
    [InlineData("2.50")]
    public async Task Both_sides_read_back_the_whole_tree_and_the_data_is_recorded_once(string revision)
    {
        var plan = UdfImagePlan.Create(_tree.Root, new UdfMasteringOptions { Revision = UdfMasteringOptions.ParseRevision(revision)!.Value, Bridge = true, VolumeId = "Release 1.0" });
        var image = _tree.Scratch("bridge.iso");
        await using (var file = File.Create(image))
        {
            await plan.WriteAsync(file, CancellationToken.None);
        }

        var info = await UdfTools.UdfInfoAsync(image);
        var udf = _tree.Scratch("udf");
        await UdfTools.ExtractAsync(image, udf);
        var iso = _tree.Scratch("iso");
        await IsoTools.ExtractAsync(image, iso);
        var descriptors = await IsoTools.IsoInfoAsync("-d", "-i", image);

        Assert.Equal(revision, info["udfrev"]);
        Assert.Equal(plan.FileCount, UdfTools.Number(info, "numfiles"));
        TreeAssert.SameFiles(_tree.Root, udf);
        TreeAssert.SameFiles(_tree.Root, iso);
        IsoTools.AssertContainsAll(
            descriptors,
            "Volume id: RELEASE_1_0",
            $"Volume size is: {plan.Blocks.ToString(CultureInfo.InvariantCulture)}",
            "Joliet with UCS level 3 found");
        var dataBlocks = Directory.EnumerateFiles(_tree.Root, "*", SearchOption.AllDirectories).Sum(path => (new FileInfo(path).Length + 2047) / 2048);
        var metadataBlocks = plan.Blocks - dataBlocks;
        Assert.InRange(metadataBlocks, 257, 400); // the 257 blocks before the partition, a few dozen of entries and directories: not a second copy of the data
        Assert.True(dataBlocks > 2500, $"the tree's data ({dataBlocks} blocks) should dwarf the metadata");
    }

    [Fact]
    public void The_bridge_keeps_iso_9660_depth_limit_and_says_udf_alone_has_none()
    {
        _tree.Write("1/2/3/4/5/6/7/8/too-deep.txt", "x"u8.ToArray());

        var error = Assert.Throws<DeviceException>(() => UdfImagePlan.Create(_tree.Root, new UdfMasteringOptions { Bridge = true })).Error;

        Assert.Contains("folder '1/2/3/4/5/6/7/8' is 8 folders deep", error.Message, StringComparison.Ordinal);
        Assert.Contains("or master UDF alone (--udf), which has no depth limit", error.Message, StringComparison.Ordinal);
        Assert.Equal(15, UdfImagePlan.Create(_tree.Root, UdfMasteringOptions.Default).DirectoryCount);
    }
}
