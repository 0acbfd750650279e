using System.Security.Cryptography;
using Farm.Device.Mastering;
using Farm.Device.Mmc;
using static Farm.Device.Tests.Writing.WritingKit;

namespace Farm.Device.Tests.Mastering;

/// <summary>A folder burned through the write path with no intermediate file: the disc holds the image's bytes and a full verify (read back, SHA-256) passes.</summary>
public sealed class FolderBurnTests : IDisposable
{
    private readonly SampleTree _tree = new(bigFileBytes: 2 * 1024 * 1024);

    public void Dispose() => _tree.Dispose();

    [Fact]
    public async Task A_folder_written_from_its_sector_source_puts_the_image_on_the_disc_with_its_sha256()
    {
        var plan = IsoImagePlan.Create(_tree.Root, IsoMasteringOptions.Default);
        using var expected = new MemoryStream();
        await plan.WriteAsync(expected, CancellationToken.None);
        await using var drive = DriveWith(Profile.DvdPlusR, out _);
        var mmc = MmcOf(drive);

        await using var source = plan.OpenSectorSource();
        var written = await new Farm.Device.Writing.DataWriter(mmc).WriteAsync(source, plan.Blocks, null, CancellationToken.None);

        Assert.Equal(plan.Blocks, written.Blocks);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray())), written.ImageSha256);
        Assert.Equal(expected.ToArray(), await ReadDiscAsync(mmc, written.StartLba, (int)plan.Blocks));
        var verified = await Farm.Device.Writing.Verifier.ReadBackAsync(mmc, written.StartLba, plan.Blocks, written.ImageSha256, CancellationToken.None);
        Assert.True(verified.Matches, verified.Problem);
    }
}
