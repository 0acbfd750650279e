using System.Text.RegularExpressions;
using Farm.Device.Mmc;
using Farm.Device.Tests.Mastering;

namespace Farm.Device.Tests.Multisession;

/// <summary>Two sessions on one simulated disc, read back by tools we did not write (xorriso, isoinfo from genisoimage).</summary>
public sealed class AppendThirdPartyTests
{
    [Theory]
    [InlineData(Profile.CdR)]
    [InlineData(Profile.DvdPlusR)]
    [InlineData(Profile.BdRSequential)]
    public async Task Xorriso_and_isoinfo_read_old_and_new_files_in_the_last_session(Profile profile)
    {
        await using var rig = new AppendRig(profile);
        var kept = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var first = rig.Folder("one", ("kept.bin", kept), ("docs/old.txt", "old version\n"u8.ToArray()), ("docs/stays.txt", "stays\n"u8.ToArray()));
        var second = rig.Folder("two", ("added.txt", "added in session 2\n"u8.ToArray()), ("docs/old.txt", "new version, longer\n"u8.ToArray()));
        await rig.AppendAsync(first);
        var (plan, burned) = await rig.AppendAsync(second);
        Assert.True(burned.Verify!.Matches, burned.Verify.Problem);
        var start = plan.Image.SessionStart;
        Assert.True(start > 0);
        Assert.Equal(start, burned.Write.StartLba);
        var image = rig.Export();

        var listing = await IsoTools.XorrisoAsync("-indev", image, "-load", "sbsector", start.ToString(), "-find", "/", "-type", "f");
        IsoTools.AssertContainsAll(listing, "'/kept.bin'", "'/added.txt'", "'/docs/old.txt'", "'/docs/stays.txt'");
        var into = rig.PathIn("x");
        await IsoTools.XorrisoAsync("-osirrox", "on", "-indev", image, "-load", "sbsector", start.ToString(), "-extract", "/", into);
        Assert.Equal(kept, File.ReadAllBytes(Path.Combine(into, "kept.bin")));
        Assert.Equal("new version, longer\n", File.ReadAllText(Path.Combine(into, "docs", "old.txt")));
        Assert.Equal("added in session 2\n", File.ReadAllText(Path.Combine(into, "added.txt")));

        var isoinfo = await IsoTools.IsoInfoAsync("-i", image, "-T", start.ToString(), "-J", "-f");
        IsoTools.AssertContainsAll(isoinfo, "/kept.bin", "/added.txt", "/docs/old.txt", "/docs/stays.txt");

        // Not rewritten: the last session's record of kept.bin names the extent session 1 wrote.
        var oldLba = Assert.Single(plan.Previous!.Files(), f => f.Path == "kept.bin").Lba;
        Assert.True(oldLba < start);
        var root = await IsoTools.IsoInfoAsync("-i", image, "-T", start.ToString(), "-J", "-l");
        Assert.Matches(new Regex(@$"300000 .*\[ *{oldLba} 00\]  kept\.bin"), root);
    }
}
