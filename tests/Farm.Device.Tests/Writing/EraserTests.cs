using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>IDiscFormat2Erase on the simulator: rewritable discs become blank and writable again.</summary>
public sealed class EraserTests : IDisposable
{
    // Fast, but every long operation still passes through "in progress" on the drive.
    private static readonly SimulatedDriveOptions Quick = new()
    {
        OpcDuration = TimeSpan.Zero,
        QuickFormatDuration = TimeSpan.FromMilliseconds(20),
        BackgroundFormatStartDuration = TimeSpan.FromMilliseconds(5),
        MinimalBlankDuration = TimeSpan.FromMilliseconds(20),
    };

    private readonly TempDirectory _folder = new("farm-eraser");

    public void Dispose() => _folder.Dispose();

    private async Task BurnAndVerifyAsync(MmcDrive mmc, int seed)
    {
        var burned = await new DataWriter(mmc).BurnAsync(WritingKit.Image(_folder, 64, seed), null, CancellationToken.None);
        Assert.True(burned.Verify!.Matches, burned.Verify.Problem);
    }

    [Theory]
    [InlineData(Profile.CdRw, false, "BLANK (Minimal)")]
    [InlineData(Profile.CdRw, true, "BLANK (Full)")]
    [InlineData(Profile.DvdRwSequential, false, "BLANK (Minimal)")]
    public async Task A_written_disc_that_is_blanked_reads_empty_and_takes_a_new_image(Profile profile, bool full, string method)
    {
        await using var drive = WritingKit.DriveWith(profile, out _, Quick);
        var mmc = WritingKit.MmcOf(drive);
        await BurnAndVerifyAsync(mmc, seed: 1);

        var erased = await new Eraser(mmc) { FullErase = full }.EraseMediaAsync(CancellationToken.None);

        Assert.Equal((profile, method), (erased.Profile, erased.Method));
        Assert.Equal(Mmc.DiscStatus.Empty, (await mmc.ReadDiscInformationAsync(CancellationToken.None)).Status);
        await BurnAndVerifyAsync(mmc, seed: 2);
    }

    [Theory]
    [InlineData(Profile.DvdPlusRw)]
    [InlineData(Profile.BdRe)]
    public async Task A_formattable_disc_is_erased_by_formatting_and_takes_a_new_image(Profile profile)
    {
        await using var drive = WritingKit.DriveWith(profile, out _, Quick);
        var mmc = WritingKit.MmcOf(drive);
        await BurnAndVerifyAsync(mmc, seed: 3);

        var erased = await new Eraser(mmc).EraseMediaAsync(CancellationToken.None);

        Assert.StartsWith("FORMAT", erased.Method, StringComparison.Ordinal);
        await BurnAndVerifyAsync(mmc, seed: 4);
    }

    [Fact]
    public async Task A_write_once_disc_cannot_be_erased()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _, Quick);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new Eraser(WritingKit.MmcOf(drive)).EraseMediaAsync(CancellationToken.None));

        Assert.Equal(ImapiErrors.Df2DataMediaIsNotSupported, refused.Error.Error);
        Assert.Contains("cannot be erased", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_disc_erasing_needs_an_operator()
    {
        await using var drive = new SimulatedDrive(WritingKit.Fast(Quick));

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new Eraser(WritingKit.MmcOf(drive)).EraseMediaAsync(CancellationToken.None));

        Assert.Equal((ImapiErrors.RecorderMediaNoMedia, Disposition.NeedsOperator), (refused.Error.Error, refused.Error.Disposition));
    }
}
