using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>`farm burn-audio` as a user runs it: a separate process on a simulated CD-R, its output and exit code.</summary>
public sealed class BurnAudioCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _folder = new("farm-burn-audio");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Album_cd_text_is_burned_in_the_lead_in_and_read_back_from_the_disc()
    {
        var first = ToneWav.Write(_folder.PathOf("t1.wav"), 44_100 * 4, 1);
        var second = ToneWav.Write(_folder.PathOf("t2.wav"), 44_100 * 5, 2);

        var result = await FarmCli.RunAsync(Patience, "burn-audio", first, second, "--simulate", "CD-R", "--time-scale", "1000",
            "--title", "Farm Sessions", "--performer", "The Burners");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("track 2/2: 00:05:00 written at LBA 300", result.Output, StringComparison.Ordinal);
        // Titles "Farm Sessions", "", "" with their NULs are 16 bytes (2 packs); performers 14 (2 packs); then 3 of size information.
        Assert.Contains("cd-text: 7 packs written in the lead-in", result.Output, StringComparison.Ordinal);
        Assert.Contains("the CD-TEXT packs read back with READ TOC format 5", result.Output, StringComparison.Ordinal);
        Assert.Contains("cd-text on the disc: title \"Farm Sessions\", performer \"The Burners\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Track_at_once_with_cd_text_is_refused_saying_tao_cannot_write_a_lead_in()
    {
        var wav = ToneWav.Write(_folder.PathOf("t1.wav"), 44_100 * 4, 1);

        var result = await FarmCli.RunAsync(Patience, "burn-audio", wav, "--simulate", "CD-R", "--mode", "tao", "--title", "Farm Sessions");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("E_INVALIDARG", result.Error, StringComparison.Ordinal);
        Assert.Contains("track-at-once cannot write a lead-in: burn disc-at-once (--mode dao) or leave out the CD-TEXT", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("written:", result.Output, StringComparison.Ordinal);
    }
}
