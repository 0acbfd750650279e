using Farm.Device.Audio;
using Farm.Device.Tests.Mastering;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>
/// The staged disc exported as cue/bin and read by tools nobody here wrote: Debian's cd-info
/// (libcdio-utils) must see the track count, each track's start and length, the lead-out, the
/// catalog number and the CD-TEXT; cdrdao must accept the cue (show-toc) with the ISRC. test.sh
/// installs both.
/// </summary>
public sealed class CueBinToolTests : IDisposable
{
    private readonly TempDirectory _temp = new("farm-cuebin");

    public void Dispose() => _temp.Dispose();

    private async Task<(string Cue, string Bin)> ExportAsync()
    {
        var one = TestWav.Write(_temp.PathOf("one.wav"), frames: 588 * 450, seed: 3);
        var two = TestWav.Write(_temp.PathOf("two.wav"), frames: (588 * 200) + 100, seed: 5);
        using var master = DiscMaster.ForAudio(_temp.FullPath);
        var stager = master.Redbook;
        stager.Disc = new AudioDiscInfo("Farm Sessions", "The Burners", "0123456789012");
        var names = new Dictionary<string, AudioTrackInfo>
        {
            [one] = new("Opening", "Alice", "USRC17607839"),
            [two] = new("Closing", "Bob"),
        };
        await WavStaging.StageAsync(stager, [one, two], wav => names[wav.Path], CancellationToken.None);
        var cue = _temp.PathOf("disc.cue");
        var bin = _temp.PathOf("disc.bin");
        await CueBinExport.WriteAsync(stager.Layout(), cue, bin, CancellationToken.None);
        return (cue, bin);
    }

    [Fact]
    public async Task Cd_info_reads_two_tracks_their_lengths_the_catalog_and_the_cd_text()
    {
        var (cue, bin) = await ExportAsync();

        var info = await IsoTools.RunAsync("cd-info", "--no-device-info", "--no-disc-mode", "-c", cue);

        // Track 1: 450 blocks; track 2: 200 blocks and 100 frames = 201 blocks, padded to 4 s (300).
        IsoTools.AssertContainsAll(
            info,
            "CD-ROM Track List (1 - 2)",
            "  1: 00:02:00  000000 audio",
            "  2: 00:08:00  000450 audio",
            "170: 00:12:00  000750 leadout",
            "Media Catalog Number (MCN): 0123456789012",
            "CD-TEXT for Disc:",
            "\tTITLE: Farm Sessions",
            "\tPERFORMER: The Burners",
            "CD-TEXT for Track  1:",
            "\tTITLE: Opening",
            "\tPERFORMER: Alice",
            "CD-TEXT for Track  2:",
            "\tTITLE: Closing",
            "\tPERFORMER: Bob");
        Assert.Equal(750L * CdAddress.BlockBytes, new FileInfo(bin).Length);
    }

    [Fact]
    public async Task Cdrdao_accepts_the_cue_with_both_tracks_and_the_isrc()
    {
        var (cue, _) = await ExportAsync();

        var toc = await IsoTools.RunInAsync(_temp.FullPath, "cdrdao", "show-toc", cue);

        IsoTools.AssertContainsAll(
            toc,
            "TOC TYPE: CD_DA",
            "CATALOG NUMBER: 0123456789012",
            "TRACK  1  Mode AUDIO:",
            "ISRC US RC1 76 07839",
            "START  00:00:00(     0)",
            "END    00:06:00(   450)",
            "TRACK  2  Mode AUDIO:",
            "START  00:06:00(   450)",
            "END    00:10:00(   750)");
    }

    [Fact]
    public async Task The_bin_holds_the_wav_audio_byte_for_byte_then_silence()
    {
        var (_, bin) = await ExportAsync();
        var image = await File.ReadAllBytesAsync(bin);
        var one = File.ReadAllBytes(_temp.PathOf("one.wav"))[44..];
        var two = File.ReadAllBytes(_temp.PathOf("two.wav"))[44..];

        Assert.Equal(one, image[..one.Length]);
        int second = 450 * CdAddress.BlockBytes;
        Assert.Equal(two, image[second..(second + two.Length)]);
        Assert.All(image[(second + two.Length)..], b => Assert.Equal(0, b));
    }
}
