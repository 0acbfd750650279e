using Farm.Controller.Api.Reports;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Farm.Controller.Api;
using Farm.Controller.Demo;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Node.Configuration;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>An audio CD job through the API on the embedded farm with a CD-R tower: burned disc-at-once, verified per track, tracks reported.</summary>
public sealed class AudioJobTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly TempDirectory folder = new("farm-audio-job");

    public void Dispose() => folder.Dispose();

    /// <summary>A RIFF PCM 44.1 kHz 16-bit stereo file of <paramref name="frames"/> sample frames, a tone from <paramref name="seed"/>.</summary>
    private string Wav(string name, int frames, int seed, int rate = 44_100)
    {
        var data = new byte[frames * 4];
        for (var i = 0; i < frames; i++)
        {
            var sample = (short)(8000 * Math.Sin(2 * Math.PI * (220 + (110 * seed)) * i / rate));
            BitConverter.TryWriteBytes(data.AsSpan(i * 4), sample);
            BitConverter.TryWriteBytes(data.AsSpan((i * 4) + 2), sample);
        }

        var path = folder.PathOf(name);
        using var file = new BinaryWriter(File.Create(path));
        file.Write("RIFF"u8);
        file.Write(36 + data.Length);
        file.Write("WAVEfmt "u8);
        file.Write(16);
        file.Write((short)1);
        file.Write((short)2);
        file.Write(rate);
        file.Write(rate * 4);
        file.Write((short)4);
        file.Write((short)16);
        file.Write("data"u8);
        file.Write(data.Length);
        file.Write(data);
        return path;
    }

    private Task<EmbeddedFarm> StartAsync() => EmbeddedFarm.StartAsync(
        new EmbeddedFarmOptions { DataDirectory = folder.PathOf("farm"), Drives = 2, TimeScale = 2000, InputBlanks = 10, MediaType = "CD-R" },
        TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);

    [Fact]
    public async Task An_audio_job_burns_verified_cds_and_reports_each_track_with_its_duration_and_checksum()
    {
        var first = Wav("t1.wav", 44_100 * 5, 1);
        var second = Wav("t2.wav", (44_100 * 4) + 1000, 2);
        string jobId;
        await using (var farm = await StartAsync())
        {
            using var http = new HttpClient { BaseAddress = new Uri(farm.Url) };
            using var response = await PostAsync(http, new { audio = new[] { first, second }, copies = 2, media = "CD-R" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            jobId = (await response.Content.ReadFromJsonAsync<JobView>())!.Id;

            var job = await farm.WaitForJobToFinishAsync(jobId, Patience);
            Assert.Equal((JobStatus.Completed, 2, 0), (job.Status, job.Verified, job.Rejected));
        }

        await using var audit = JournalAudit.OfFarm(new JournalAddress(true, folder.PathOf("farm/farm.db")));
        var verified = (await audit.ControllerAsync()).Select(e => e.Event).OfType<DiscVerified>().Where(v => v.JobId == jobId).ToList();
        Assert.Equal(2, verified.Count);
        foreach (var disc in verified)
        {
            var tracks = disc.Tracks!;
            Assert.Equal([1, 2], tracks.Select(t => t.Number));
            Assert.Equal([first, second], tracks.Select(t => t.Source));
            Assert.Equal(5 * 75, tracks[0].Blocks); // Redbook tracks last at least 4 s: these are long enough not to be padded
            Assert.Equal(TimeSpan.FromSeconds(5), tracks[0].Duration);
            Assert.Equal(Sha256OfAudio(first, 5 * 75), tracks[0].Sha256);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(tracks[0].Sha256 + tracks[1].Sha256))), disc.Sha256);
        }
    }

    [Fact]
    public async Task An_audio_job_with_a_48_kHz_wav_is_refused_naming_the_file()
    {
        var good = Wav("ok.wav", 44_100, 1);
        var bad = Wav("bad.wav", 48_000, 1, rate: 48_000);
        await using var farm = await StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(farm.Url) };

        using var response = await PostAsync(http, new { audio = new[] { good, bad }, copies = 1, media = "CD-R" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("audio[1]", body, StringComparison.Ordinal);
        Assert.Contains("bad.wav", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// POST /api/jobs with one idempotency key, again while the controller answers 503 (a loaded
    /// machine starts the controller singleton after the HTTP host; the CLI retries the same way).
    /// </summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, object body)
    {
        var key = Guid.NewGuid().ToString();
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
        }
    }

    /// <summary>The track's bytes as the disc holds them: the WAV's data chunk padded to whole 2352-byte blocks.</summary>
    private static string Sha256OfAudio(string wav, int blocks)
    {
        var bytes = File.ReadAllBytes(wav)[44..];
        Array.Resize(ref bytes, blocks * 2352);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
