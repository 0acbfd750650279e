using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Farm.Messages.Jobs;
using Farm.Node.Configuration;
using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>
/// Nodes without shared storage: `farm serve --image-root DIR` and two `farm-node` processes, each
/// in its own mount namespace where DIR is covered by an empty tmpfs (unshare --user --mount), so
/// the job's image path does not exist for them, exactly as on a host that does not mount the
/// submitter's storage. Each node fetches the image once from the controller and burns its copies.
/// </summary>
public sealed class ImageFetchTests
{
    /// <summary>Runs a program with <c>$0</c> hidden under an empty tmpfs: a private mount namespace of an unprivileged user.</summary>
    private const string HideFolder = "mount -t tmpfs tmpfs \"$0\" && exec \"$@\"";

    [Fact]
    public async Task Two_nodes_that_cannot_see_the_image_fetch_it_once_each_and_every_copy_verifies()
    {
        using var folder = new TempDirectory("farm-image-fetch");
        var images = folder.PathOf("images");
        Directory.CreateDirectory(images);
        var image = Path.Combine(images, "release.iso");
        var bytes = new byte[2048 * 2048]; // 4 MiB
        new Random(14).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        // The set-up holds: inside the nodes' namespace the image's path does not exist.
        using var hidden = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", HideFolder, images, "test", "!", "-e", image]))!;
        await hidden.WaitForExitAsync();
        Assert.True(hidden.ExitCode == 0, $"the image must be invisible inside the nodes' mount namespace (unshare --user --mount needs unprivileged user namespaces); test exited {hidden.ExitCode}");

        var seed = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}");
        var url = FarmScenario.HttpOf(Processes.FreePort());
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", $"sqlite:{folder.PathOf("farm.db")}", "--cluster", seed, "--seeds", seed, "--http", url, "--image-root", images);
        var nodes = new[] { "left", "right" }.Select(id => FarmProcess.StartWrapped(id, "unshare", ["--user", "--map-root-user", "--mount", "sh", "-c", HideFolder, images], Processes.FarmNodeDll,
            "--cluster", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}"), "--seeds", seed,
            "--simulate", "1", "--time-scale", "50", "--node-id", id, "--data", folder.PathOf(id), "--farm", url, "--verbose")).ToList();
        try
        {
            foreach (var node in nodes)
            {
                await node.WaitForOutputAsync("registered with the controller", TimeSpan.FromSeconds(120));
            }

            using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "4", "--farm", url, "--wait");
            await submit.WaitForExitAsync(TimeSpan.FromSeconds(180));

            var outputs = $"submit: {submit.Output}\nserve: {serve.Output}\n{string.Join("\n", nodes.Select(n => $"{n.Name}: {n.Output}"))}";
            Assert.True(submit.ExitCode == 0, outputs);
            Assert.Matches(@"job \S+: 4/4 copies verified, 0 rejected", submit.Output);
            foreach (var node in nodes)
            {
                // Fetched because the path could not be opened (the default --fetch-images missing), exactly once.
                Assert.Single(Fetched(sha256).Matches(node.Output));
                Assert.Contains("images fetched by this node: 1", node.Output, StringComparison.Ordinal);
                Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(folder.PathOf(node.Name), "images", sha256)));
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                node.Dispose();
            }
        }

        serve.Dispose(); // the journal is read once the farm has stopped writing it
        await using var audit = JournalAudit.OfFarm(new JournalAddress(true, folder.PathOf("farm.db")));
        var entries = (await audit.ControllerAsync()).Select(e => e.Event).ToList();
        Assert.Equal(sha256, entries.OfType<JobSubmitted>().Single().ImageSha256);
        var verified = entries.OfType<CopyVerified>().ToList();
        Assert.Equal(4, verified.Count);
        Assert.All(verified, v => Assert.Equal(sha256, v.Sha256)); // each disc reads back as the controller's image
        Assert.Equal(2, entries.OfType<CopyAssigned>().Select(a => a.NodeId).Distinct().Count());
    }

    private static Regex Fetched(string sha256) => new($"Image {sha256}: fetched \\d+ bytes from ", RegexOptions.None, TimeSpan.FromSeconds(5));
}
