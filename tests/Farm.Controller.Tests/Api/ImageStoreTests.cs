using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Farm.Controller.Api;
using Farm.Node.Images;
using Farm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// A node's <see cref="ImageStore"/> against the real <c>GET /api/images/{sha256}</c> on Kestrel:
/// one download however many drives ask, a cut download resumed with a Range request, a changed
/// image refused before it is used, the cache kept under its limit least recently used first and
/// never by removing a pinned image, and a clear error when no controller answers.
/// </summary>
public sealed class ImageStoreTests : ApiSpec
{
    private const int ImageBytes = 512 * 2048; // 1 MiB

    private readonly CuttingStartupFilter _cutter = new(cutAfter: 300 * 1024);
    private readonly ManualTimeProvider _time = new();
    private readonly HttpClient _http = new();

    public ImageStoreTests()
        : base("farm-image-store")
    {
        Directory.CreateDirectory(Folder.PathOf("images"));
    }

    protected override FarmApiOptions Options => new()
    {
        AskTimeout = TimeSpan.FromSeconds(1),
        ImageRoots = [RealPaths.Of(Folder.PathOf("images"))],
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(_cutter);

    [Fact]
    public async Task Drives_asking_together_share_one_download_resumed_after_a_cut_and_verified()
    {
        var (sha256, bytes) = await SubmitAsync("release.iso", seed: 10);
        using var store = Store();

        var leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => store.AcquireAsync(sha256, CancellationToken.None)));

        Assert.Equal(1, store.Fetches);
        Assert.All(leases, lease => Assert.Equal(Folder.PathOf(Path.Combine("node", "images", sha256)), lease.Path));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(leases[0].Path));
        var ranges = _cutter.Ranges.ToArray();
        Assert.Equal(2, ranges.Length); // the first answer was cut; the second asked for the rest only
        Assert.Equal("", ranges[0]);
        Assert.Matches(@"^bytes=[1-9][0-9]*-$", ranges[1]);
        Assert.Equal(ImageBytes, store.BytesReceived);
        Assert.False(File.Exists(leases[0].Path + ".partial"));
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        using var again = await store.AcquireAsync(sha256, CancellationToken.None);
        Assert.Equal(1, store.Fetches); // from the cache
    }

    [Fact]
    public async Task An_image_changed_in_place_after_submit_is_refused_by_its_hash_and_nothing_is_kept()
    {
        var (sha256, _) = await SubmitAsync("release.iso", seed: 11);
        var path = Folder.PathOf(Path.Combine("images", "release.iso"));
        var written = File.GetLastWriteTimeUtc(path);
        await ImageFiles.WriteRandomAsync(path, ImageBytes, seed: 12); // same size...
        File.SetLastWriteTimeUtc(path, written);                      // ...and time: the controller cannot tell
        using var store = Store();

        var refused = await Assert.ThrowsAsync<ImageFetchException>(() => store.AcquireAsync(sha256, CancellationToken.None));

        Assert.Contains($"image {sha256} fetched from", refused.Message, StringComparison.Ordinal);
        Assert.Contains("hashes to", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Fetches);
        Assert.Empty(Directory.GetFiles(Folder.PathOf(Path.Combine("node", "images"))));
    }

    [Fact]
    public async Task The_cache_drops_the_least_recently_used_image_and_never_one_a_drive_is_burning()
    {
        var (a, _) = await SubmitAsync("a.iso", seed: 20);
        var (b, _) = await SubmitAsync("b.iso", seed: 21);
        var (c, _) = await SubmitAsync("c.iso", seed: 22);
        var (d, _) = await SubmitAsync("d.iso", seed: 23);
        using var store = Store(cacheBytes: (2 * ImageBytes) + (ImageBytes / 2)); // room for two

        (await store.AcquireAsync(a, CancellationToken.None)).Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));
        (await store.AcquireAsync(b, CancellationToken.None)).Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));
        using var burningA = await store.AcquireAsync(a, CancellationToken.None); // a used again: b is now the oldest
        _time.Advance(TimeSpan.FromMinutes(1));
        var burningC = await store.AcquireAsync(c, CancellationToken.None);

        Assert.Equal([a, c], store.Cached);

        // a and c are both being burned: d cannot make room, and nothing is removed for it.
        var full = await Assert.ThrowsAsync<ImageFetchException>(() => store.AcquireAsync(d, CancellationToken.None));
        Assert.Contains("does not fit in the node's image cache", full.Message, StringComparison.Ordinal);
        Assert.Equal([a, c], store.Cached);

        burningC.Dispose();
        _time.Advance(TimeSpan.FromMinutes(1));
        using var burningD = await store.AcquireAsync(d, CancellationToken.None);
        Assert.Equal([a, d], store.Cached);
        Assert.Equal(4, store.Fetches);
        Assert.True(store.CachedBytes <= (2 * ImageBytes) + (ImageBytes / 2));
    }

    [Fact]
    public async Task No_controller_answering_is_a_clear_error_naming_the_addresses_and_what_to_check()
    {
        var unreachable = new Uri($"http://127.0.0.1:{Farm.MultiHost.Tests.Processes.FreePort()}");
        using var store = new ImageStore(new ImageFetchOptions([unreachable], Folder.PathOf(Path.Combine("node", "images"))) { Attempts = 2, RetryDelay = TimeSpan.Zero }, _http, _time, NullLogger.Instance);

        var failed = await Assert.ThrowsAsync<ImageFetchException>(() => store.AcquireAsync(new string('a', 64), CancellationToken.None));

        Assert.Contains($"could not be fetched from {unreachable} after 2 tries", failed.Message, StringComparison.Ordinal);
        Assert.Contains("check that a controller is reachable (farm-node --farm)", failed.Message, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        _http.Dispose();
        base.Dispose(disposing);
    }

    private ImageStore Store(long cacheBytes = ImageFetchOptions.DefaultCacheBytes) =>
        new(new ImageFetchOptions([Api.Address], Folder.PathOf(Path.Combine("node", "images"))) { CacheBytes = cacheBytes, Attempts = 2, RetryDelay = TimeSpan.Zero }, _http, _time, NullLogger.Instance);

    private async Task<(string Sha256, byte[] Bytes)> SubmitAsync(string name, int seed)
    {
        var (path, bytes) = await ImageFiles.WriteRandomAsync(Folder.PathOf(Path.Combine("images", name)), ImageBytes, seed);
        using var response = await Api.Http.PostAsJsonAsync("/api/jobs", new { image = path });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
    }
}
