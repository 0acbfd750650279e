using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Farm.Controller.Api;
using Farm.Messages.Protocol;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// <c>GET /api/images/{sha256}</c> on the real API: a submitted image by its hash (whole, or a
/// range), confined to the image roots; a malformed hash is a 400, an unknown or changed one a 404.
/// </summary>
public sealed class ImageEndpointTests : ApiSpec
{
    public ImageEndpointTests()
        : base("farm-api-images")
    {
        Directory.CreateDirectory(Folder.PathOf("images"));
    }

    protected override FarmApiOptions Options => new()
    {
        AskTimeout = TimeSpan.FromSeconds(1),
        ImageRoots = [RealPaths.Of(Folder.PathOf("images"))],
    };

    [Fact]
    public async Task A_submitted_job_carries_its_images_sha256_and_the_image_is_served_by_it_whole_and_by_range()
    {
        var (path, bytes) = await ImageFiles.WriteRandomAsync(Folder.PathOf(Path.Combine("images", "release.iso")), 300 * 2048, seed: 1);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        using var submitted = await Api.Http.PostAsJsonAsync("/api/jobs", new { image = path, copies = 2 });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(sha256, Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job.ImageSha256);

        using var whole = await Api.Http.GetAsync($"/api/images/{sha256}");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal($"\"{sha256}\"", whole.Headers.ETag?.Tag);
        Assert.Contains("bytes", whole.Headers.AcceptRanges);
        Assert.Equal(bytes, await whole.Content.ReadAsByteArrayAsync());

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/images/{sha256.ToUpperInvariant()}") { Headers = { Range = new RangeHeaderValue(1000, null) } };
        using var rest = await Api.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal((1000L, (long)bytes.Length), (rest.Content.Headers.ContentRange!.From!.Value, rest.Content.Headers.ContentRange.Length!.Value));
        Assert.Equal(bytes[1000..], await rest.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("not-a-hash")]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeZ")]
    [InlineData("0123456789abcdef")]
    public async Task A_malformed_hash_is_a_400_problem_saying_what_a_hash_is(string hash)
    {
        using var response = await Api.Http.GetAsync($"/api/images/{hash}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("64 hex digits", await ProblemDetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_hash_is_a_404_problem_and_so_is_an_image_changed_since_it_was_submitted()
    {
        var (path, _) = await ImageFiles.WriteRandomAsync(Folder.PathOf(Path.Combine("images", "changing.iso")), 16 * 2048, seed: 2);
        using var submitted = await Api.Http.PostAsJsonAsync("/api/jobs", new { image = path });
        var sha256 = Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job.ImageSha256!;

        using var unknown = await Api.Http.GetAsync($"/api/images/{new string('0', 64)}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no image of the farm's jobs has SHA-256", await ProblemDetailAsync(unknown), StringComparison.Ordinal);

        await ImageFiles.WriteRandomAsync(path, 17 * 2048, seed: 3); // rewritten: another size, another time
        using var changed = await Api.Http.GetAsync($"/api/images/{sha256}");
        Assert.Equal(HttpStatusCode.NotFound, changed.StatusCode);
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
}

/// <summary>Image files of random bytes for the image tests.</summary>
internal static class ImageFiles
{
    public static async Task<(string Path, byte[] Bytes)> WriteRandomAsync(string path, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        return (path, bytes);
    }
}
