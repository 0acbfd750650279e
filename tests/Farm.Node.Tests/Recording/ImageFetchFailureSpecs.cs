using Farm.Messages.Drives;
using Farm.Node.Images;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// A drive whose node cannot open the job's image and cannot fetch it either: the attempt fails
/// before a blank is taken, saying why, and the drive is idle for the next copy (the controller
/// gives the failed copy another attempt).
/// </summary>
public sealed class ImageFetchFailureSpecs(ITestOutputHelper output) : NodeSpec(output)
{
    [Fact]
    public async Task An_image_that_cannot_be_fetched_fails_the_attempt_before_a_disc_is_loaded()
    {
        using var http = new HttpClient();
        var nowhere = new Uri($"http://127.0.0.1:{FreePort()}");
        using var store = new ImageStore(new ImageFetchOptions([nowhere], Folder.PathOf("images")) { Attempts = 1, RetryDelay = TimeSpan.Zero }, http, TimeProvider.System, NullLogger.Instance);
        await using var rig = await NodeRig.StartAsync(this, new RigOptions { Fetched = store }, Folder);
        await rig.WaitForStateAsync(RecorderState.Idle);
        var image = rig.Image(64);
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(image)));
        var missing = Folder.PathOf("only-on-the-controller.iso");

        rig.Tell(NodeRig.Assignment(image) with { ImagePath = missing, ImageSha256 = sha256 });
        var failed = await rig.WaitForDriveAsync<BurnFailed>();
        await rig.WaitForDriveAsync<DriveIdle>(nth: 2);

        Assert.Equal(nameof(RecorderState.FetchingImage), failed.Phase);
        Assert.Contains($"image '{missing}' is not readable on this node and could not be fetched", failed.Reason.Message, StringComparison.Ordinal);
        Assert.Contains($"could not be fetched from {nowhere}", failed.Reason.Message, StringComparison.Ordinal);
        Assert.Empty(rig.DriveEvents().OfType<DiscLoaded>());
        Assert.Equal(0, store.Fetches);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
