using System.Security.Cryptography;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>`farm burn` as a user runs it: a separate process on a simulated drive, its output and exit code.</summary>
public sealed class BurnCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _folder = new("farm-burn");

    public void Dispose() => _folder.Dispose();

    private string Image(long bytes, bool random = true)
    {
        var path = _folder.PathOf($"image-{bytes}.iso");
        using var file = File.Create(path);
        if (random)
        {
            var data = new byte[bytes];
            new Random(5).NextBytes(data);
            file.Write(data);
        }
        else
        {
            // Sparse: a large image without writing it.
            file.SetLength(bytes);
        }

        return path;
    }

    [Fact]
    public async Task Burning_on_a_simulated_dvd_plus_r_verifies_and_prints_the_hash()
    {
        var image = Image(4 * 1024 * 1024);
        var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(image)));

        var result = await FarmCli.RunAsync(Patience, "burn", image, "--drive", "d1", "--simulate", "DVD+R", "--time-scale", "1000", "--verify", "full");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"sha256 {sha}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"verify full: OK (2,048 blocks read back, sha256 {sha})", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quick_verify_with_streaming_writes_on_a_simulated_bd_r_succeeds()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(2 * 1024 * 1024), "--drive", "d1", "--simulate", "BD-R", "--time-scale", "1000", "--verify", "quick", "--streaming", "--speed", "8");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("verify quick: OK", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_image_is_refused_with_invalid_argument_and_its_path()
    {
        var missing = _folder.PathOf("nope.iso");

        var result = await FarmCli.RunAsync(Patience, "burn", missing, "--drive", "d1", "--simulate", "DVD+R");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"E_INVALIDARG (0x80070057): image '{missing}' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_that_is_not_whole_sectors_is_refused_with_stream_not_supported()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(3000), "--drive", "d1", "--simulate", "DVD+R");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (0xC0AA0403)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_larger_than_the_disc_is_refused_with_disc_full_before_writing()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(800L * 1024 * 1024, random: false), "--drive", "d1", "--simulate", "CD-R");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("IMAPI_E_DISCFULL (0x8004021C)", result.Error, StringComparison.Ordinal);
        Assert.Contains("the image needs 409,600 blocks but the CD-R disc has 359,847 free", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_disc_is_refused_with_media_is_not_supported()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(2048), "--drive", "d1", "--simulate", "DVD-ROM");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED (0xC0AA0406): a DVD-ROM disc is read-only", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drive_that_does_not_exist_is_refused_with_its_path()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(2048), "--device", "/dev/sr97");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("/dev/sr97", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_simulated_burn_needs_no_drive_name()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(1024 * 1024), "--simulate", "DVD+R", "--time-scale", "1000");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("verify full: OK", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_burn_without_a_drive_says_which_to_name()
    {
        var result = await FarmCli.RunAsync(Patience, "burn", Image(2048));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--drive is required for a real drive", result.Error, StringComparison.Ordinal);
    }
}
