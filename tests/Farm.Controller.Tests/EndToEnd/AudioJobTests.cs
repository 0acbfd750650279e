using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Farm.Controller.Api.Reports;
using Farm.Controller.Demo;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Node.Configuration;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// An audio CD job through the API on the embedded farm with a CD-R tower: burned disc-at-once,
/// verified per track, its CD-TEXT, catalog number and ISRCs carried to the node (the CD-TEXT written
/// in each disc's lead-in: verify passes only when READ TOC format 5 gives the packs back), and the report
/// listing every track with its duration and checksum.
/// </summary>
public sealed class AudioJobTests : IDisposable
{
    private static readonly TimeSpan Patience = EmbeddedFarmFolder.Patience;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly EmbeddedFarmFolder _folder = new("farm-audio-job");

    public void Dispose() => _folder.Dispose();

    private string Wav(string name, int frames, int seed, int rate = 44_100) => ToneWav.Write(_folder.PathOf(name), frames, seed, rate);

    private Task<EmbeddedFarm> StartAsync() => _folder.StartAsync(drives: 2, media: "CD-R", blanks: 10);

    [Fact]
    public async Task An_audio_job_burns_verified_cds_and_reports_each_track_with_its_duration_checksum_and_cd_text()
    {
        var first = Wav("t1.wav", 44_100 * 5, 1);
        var second = Wav("t2.wav", (44_100 * 4) + 1000, 2);
        var cdText = new
        {
            title = "Farm Sessions",
            performer = "The Burners",
            catalog = "0123456789012",
            tracks = new[] { new { title = "Opening", performer = "The Burners", isrc = "USRC17607839" }, new { title = "Closing", performer = "Guest", isrc = "GBAYE0000351" } },
        };
        string jobId;
        await using (var farm = await StartAsync())
        {
            using var response = await EmbeddedFarmFolder.PostJobAsync(farm, new { audio = new[] { first, second }, copies = 2, media = "CD-R", cdText });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            jobId = (await response.Content.ReadFromJsonAsync<JobView>())!.Id;

            var job = await farm.WaitForJobToFinishAsync(jobId, Patience);
            Assert.Equal((JobStatus.Completed, 2, 0), (job.Status, job.Verified, job.Rejected));

            // The report follows the journal a moment behind: it lists both discs with their tracks once it read them.
            JobReport? report = null;
            await Wait.UntilAsync(
                async () => (report = JsonSerializer.Deserialize<JobReport>(await EmbeddedFarmFolder.GetAsync(farm, $"/api/jobs/{jobId}/report"), Web))!
                    .Discs.Count(d => d.Outcome == DiscOutcomes.Verified && d.Tracks is { Count: 2 }) == 2,
                Patience,
                () => $"the report to list 2 verified discs with their tracks; it shows {JsonSerializer.Serialize(report?.Discs)}");
            Assert.Equal(("Farm Sessions", "The Burners", "0123456789012"), (report!.Job.CdText!.Title, report.Job.CdText.Performer, report.Job.CdText.Catalog));
            foreach (var disc in report.Discs.Where(d => d.Outcome == DiscOutcomes.Verified))
            {
                var tracks = disc.Tracks!;
                Assert.Equal([1, 2], tracks.Select(t => t.Number));
                Assert.Equal([first, second], tracks.Select(t => t.Source));
                Assert.Equal(["00:05:00", "00:04:02"], tracks.Select(t => t.Duration)); // 709,600 bytes: 301.7 blocks, so 302: 4 s and 2 frames
                Assert.Equal([375L, 302L], tracks.Select(t => t.Blocks));
                Assert.Equal([0L, 375L], tracks.Select(t => t.StartLba));
                Assert.Equal([Sha256OfAudio(first, 375), Sha256OfAudio(second, 302)], tracks.Select(t => t.Sha256));
                Assert.Equal(["Opening", "Closing"], tracks.Select(t => t.Title));
                Assert.Equal(["The Burners", "Guest"], tracks.Select(t => t.Performer));
                Assert.Equal(["USRC17607839", "GBAYE0000351"], tracks.Select(t => t.Isrc));
            }

            var html = await EmbeddedFarmFolder.GetAsync(farm, $"/api/jobs/{jobId}/report?format=html");
            Assert.Contains("<h2>Tracks of copy 1 (attempt 1)</h2>", html, StringComparison.Ordinal);
            Assert.Contains("<h2>Tracks of copy 2 (attempt 1)</h2>", html, StringComparison.Ordinal);
            Assert.Contains("<td>00:04:02</td>", html, StringComparison.Ordinal);
            Assert.Contains($"<code>{Sha256OfAudio(second, 302)}</code>", html, StringComparison.Ordinal);
            Assert.Contains("<td>Opening</td>", html, StringComparison.Ordinal);
            Assert.Contains("<td>USRC17607839</td>", html, StringComparison.Ordinal);
            Assert.Contains("Farm Sessions / The Burners", html, StringComparison.Ordinal);
        }

        await using var audit = JournalAudit.OfFarm(new JournalAddress(true, Path.Combine(_folder.DataDirectory, "farm.db")));
        var events = (await audit.ControllerAsync()).Select(e => e.Event).ToList();
        var verified = events.OfType<DiscVerified>().Where(v => v.JobId == jobId).ToList();
        Assert.Equal(2, verified.Count);
        foreach (var disc in verified)
        {
            var tracks = disc.Tracks!;
            Assert.Equal(5 * 75, tracks[0].Blocks); // Redbook tracks last at least 4 s: these are long enough not to be padded
            Assert.Equal(TimeSpan.FromSeconds(5), tracks[0].Duration);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(tracks[0].Sha256 + tracks[1].Sha256))), disc.Sha256);
        }

        // Every assignment carried the job's CD-TEXT, catalog and ISRCs to the node that staged it.
        Assert.All(events.OfType<CopyAssigned>().Where(a => a.JobId == jobId), a => Assert.Equal(("0123456789012", "GBAYE0000351"), (a.AudioText!.Catalog, a.AudioText.Tracks![1].Isrc)));
    }

    [Fact]
    public async Task An_audio_job_with_a_48_kHz_wav_or_bad_cd_text_is_refused_naming_what_is_wrong()
    {
        var good = Wav("ok.wav", 44_100 * 4, 1);
        var bad = Wav("bad.wav", 48_000, 1, rate: 48_000);
        await using var farm = await StartAsync();

        using var response = await EmbeddedFarmFolder.PostJobAsync(farm, new { audio = new[] { good, bad }, copies = 1, media = "CD-R" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("audio[1]", body, StringComparison.Ordinal);
        Assert.Contains("bad.wav", body, StringComparison.Ordinal);

        using var badText = await EmbeddedFarmFolder.PostJobAsync(farm, new { audio = new[] { good }, media = "CD-R", cdText = new { catalog = "123", tracks = new[] { new { isrc = "US-RC1-76-07839" } } } });
        Assert.Equal(HttpStatusCode.BadRequest, badText.StatusCode);
        var problems = await badText.Content.ReadAsStringAsync();
        Assert.Contains("cdText.tracks[0]", problems, StringComparison.Ordinal);
        Assert.Contains("ISRC 'US-RC1-76-07839' is not 12 characters", problems, StringComparison.Ordinal);
        Assert.Contains("catalog number '123' is not a 13-digit UPC/EAN", problems, StringComparison.Ordinal);

        var long160 = new string('x', 160);
        var tenTracks = Enumerable.Repeat(good, 10).ToArray();
        using var tooMuchText = await EmbeddedFarmFolder.PostJobAsync(farm, new { audio = tenTracks, media = "CD-R", cdText = new { tracks = Enumerable.Repeat(new { title = long160, performer = long160 }, 10).ToArray() } });
        Assert.Equal(HttpStatusCode.BadRequest, tooMuchText.StatusCode);
        Assert.Contains("the CD-TEXT needs more than 256 packs of 12 characters", await tooMuchText.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var textAlone = await EmbeddedFarmFolder.PostJobAsync(farm, new { image = good, media = "CD-R", cdText = new { title = "Lost" } });
        Assert.Equal(HttpStatusCode.BadRequest, textAlone.StatusCode);
        Assert.Contains("cdText describes an audio CD", await textAlone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The track's bytes as the disc holds them: the WAV's data chunk padded to whole 2352-byte blocks.</summary>
    private static string Sha256OfAudio(string wav, int blocks)
    {
        var bytes = File.ReadAllBytes(wav)[44..];
        Array.Resize(ref bytes, blocks * 2352);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
