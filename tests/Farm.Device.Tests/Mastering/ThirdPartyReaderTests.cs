using System.Globalization;
using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>Images read by tools we did not write: xorriso (extraction, find) and isoinfo.</summary>
public sealed class ThirdPartyReaderTests : IDisposable
{
    private readonly SampleTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private async Task<(IsoImagePlan Plan, string Image)> MasterAsync(IsoMasteringOptions? options = null)
    {
        var plan = IsoImagePlan.Create(_tree.Root, options ?? new IsoMasteringOptions { VolumeId = "Release 1.0" });
        var image = _tree.Scratch("out.iso");
        await using (var file = File.Create(image))
        {
            await plan.WriteAsync(file, CancellationToken.None);
        }

        return (plan, image);
    }

    [Fact]
    public async Task Xorriso_extracts_a_tree_equal_to_the_source_byte_for_byte_with_joliet_names()
    {
        var (_, image) = await MasterAsync();
        var extracted = _tree.Scratch("extracted");

        await IsoTools.ExtractAsync(image, extracted);

        TreeAssert.SameFiles(_tree.Root, extracted);
    }

    [Fact]
    public async Task Xorriso_finds_every_file_and_folder_and_reports_no_problem()
    {
        var (_, image) = await MasterAsync();

        var found = await IsoTools.XorrisoAsync("-abort_on", "WARNING", "-indev", image, "-find", "/", "-exec", "lsdl");

        IsoTools.AssertContainsAll(
            found,
            "'/empty folder'",
            $"'/docs/{SampleTree.LongUnicodeName}'",
            "'/docs/deep/er/still/notes.md'");
        Assert.Matches(@" 5243003 .* '/data/big.dat'", found);
    }

    [Fact]
    public async Task Isoinfo_reads_the_descriptors_joliet_level_3_and_the_planned_volume_size()
    {
        var (plan, image) = await MasterAsync();

        var info = await IsoTools.IsoInfoAsync("-d", "-i", image);

        IsoTools.AssertContainsAll(
            info,
            "Volume id: RELEASE_1_0",
            "Logical block size is: 2048",
            $"Volume size is: {plan.Blocks.ToString(CultureInfo.InvariantCulture)}",
            "Joliet with UCS level 3 found",
            "NO Rock Ridge present");
    }

    [Fact]
    public async Task Isoinfo_lists_d_character_names_in_the_primary_tree_with_collisions_made_unique()
    {
        var (_, image) = await MasterAsync();

        var listing = await IsoTools.IsoInfoAsync("-l", "-i", image);

        IsoTools.AssertContainsAll(
            listing,
            "Directory listing of /DOCS/DEEP/ER/STILL/",
            "Directory listing of /EMPTY_FOLDER/",
            "README.TXT;1",
            "MIXED_CASE.TXT;1",
            "MIXED_CASE_1.TXT;1",
            "5243003");
    }

    [Fact]
    public async Task Isoinfo_lists_the_real_names_in_the_joliet_tree()
    {
        var (_, image) = await MasterAsync();

        var listing = await IsoTools.IsoInfoAsync("-J", "-l", "-i", image);

        IsoTools.AssertContainsAll(
            listing,
            "Directory listing of /empty folder/",
            $"  {SampleTree.LongAsciiName} \n",
            "Mixed Case.TXT",
            "mixed case.txt");
    }

    [Fact]
    public async Task The_joliet_tree_holds_the_same_paths_as_genisoimage_makes_of_the_folder()
    {
        var (_, image) = await MasterAsync();
        var theirs = _tree.Scratch("genisoimage.iso");
        await IsoTools.RunAsync("genisoimage", "-quiet", "-J", "-o", theirs, _tree.Root);

        var ours = await IsoTools.IsoInfoAsync("-J", "-f", "-i", image);
        var reference = await IsoTools.IsoInfoAsync("-J", "-f", "-i", theirs);

        Assert.Equal(Lines(reference), Lines(ours));
    }

    [Fact]
    public async Task Level_1_names_are_8_3_and_still_read_by_xorriso()
    {
        var (_, image) = await MasterAsync(new IsoMasteringOptions { InterchangeLevel = 1 });

        var listing = await IsoTools.IsoInfoAsync("-l", "-i", image);
        var extracted = _tree.Scratch("extracted-level-1");
        await IsoTools.ExtractAsync(image, extracted);

        IsoTools.AssertContainsAll(
            listing,
            "EXACTLY_.BIN;1",
            "Directory listing of /EMPTY_FO/");
        Assert.Equal(TreeAssert.Listing(_tree.Root), TreeAssert.Listing(extracted));
    }

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
}
