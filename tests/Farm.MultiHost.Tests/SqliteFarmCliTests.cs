using System.Globalization;
using Farm.Messages.Jobs;
using Farm.Node.Configuration;
using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>The same commands on one host with a SQLite farm database: serve, a simulated node, submit --wait, jobs (through the HTTP API).</summary>
public sealed class SqliteFarmCliTests
{
    /// <summary>`farm serve` on SQLite seeding its own cluster, and one `farm-node --simulate 2` joining it.</summary>
    private sealed class OneHostFarm : IDisposable
    {
        public OneHostFarm(TempDirectory folder)
        {
            var clusterPort = Processes.FreePort();
            Url = FarmScenario.HttpOf(Processes.FreePort());
            Store = $"sqlite:{folder.PathOf("farm.db")}";
            var seed = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{clusterPort}");
            Serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", Store, "--cluster", seed, "--seeds", seed, "--http", Url);
            Node = FarmProcess.Start("node", Processes.FarmNodeDll, "--cluster", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}"), "--seeds", seed,
                "--simulate", "2", "--time-scale", "50", "--node-id", "solo", "--data", folder.PathOf("solo"));
        }

        public string Url { get; }

        public string Store { get; }

        public FarmProcess Serve { get; }

        public FarmProcess Node { get; }

        public string Outputs => $"serve: {Serve.Output}\nnode: {Node.Output}";

        public void Dispose()
        {
            Node.Dispose();
            Serve.Dispose();
        }
    }

    [Fact]
    public async Task Serve_a_simulated_node_and_submit_wait_burn_a_job_through_a_SQLite_store()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[2 * 1024 * 1024]);
        using var farm = new OneHostFarm(folder);

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "3", "--farm", farm.Url, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(150));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\n{farm.Outputs}");
        Assert.Matches(@"job \S+: 3/3 copies verified, 0 rejected", submit.Output);
        using var jobs = FarmProcess.Start("jobs", Processes.FarmDll, "jobs", "--farm", farm.Url);
        await jobs.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.Matches(@"Completed\s+3/3", jobs.Output);
    }

    [Fact]
    public async Task Submitting_a_folder_masters_it_once_and_every_copy_burns_that_image()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var release = folder.PathOf("release");
        Directory.CreateDirectory(Path.Combine(release, "docs"));
        await File.WriteAllTextAsync(Path.Combine(release, "README.txt"), "BurnFarm release notes\n");
        var payload = new byte[3 * 1024 * 1024 + 17];
        new Random(5).NextBytes(payload);
        await File.WriteAllBytesAsync(Path.Combine(release, "docs", "Übersicht – payload.bin"), payload);
        using var farm = new OneHostFarm(folder);

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", release, "--copies", "2", "--farm", farm.Url, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(150));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\n{farm.Outputs}");
        Assert.Matches(@"job \S+: 2/2 copies verified, 0 rejected", submit.Output);
        var image = release + ".iso";
        var sha256 = System.Text.RegularExpressions.Regex.Match(submit.Output, $"mastered {System.Text.RegularExpressions.Regex.Escape(image)}: sha256 ([0-9a-f]{{64}})").Groups[1].Value;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(image))), sha256);
        farm.Dispose(); // the journal is read once the farm has stopped writing it
        await using var audit = JournalAudit.OfFarm(new JournalAddress(true, folder.PathOf("farm.db")));
        var entries = await audit.ControllerAsync();
        var submitted = entries.Select(e => e.Event).OfType<JobSubmitted>().Single();
        Assert.Equal((SourceKind.Folder, release, image), (submitted.Source!.Kind, submitted.Source.Path, submitted.ImagePath));
        var verified = entries.Select(e => e.Event).OfType<CopyVerified>().ToList();
        Assert.Equal(2, verified.Count);
        Assert.All(verified, v => Assert.Equal(sha256, v.Sha256)); // each disc reads back as the one mastered image

        // The image is one a third-party reader takes: xorriso lists the Joliet names.
        using var xorriso = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("xorriso", ["-indev", image, "-find", "/", "-type", "f"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var listing = await xorriso.StandardOutput.ReadToEndAsync() + await xorriso.StandardError.ReadToEndAsync();
        await xorriso.WaitForExitAsync();
        Assert.Contains("/docs/Übersicht – payload.bin", listing, StringComparison.Ordinal);
        Assert.Contains("/README.txt", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_a_folder_whose_image_exists_is_refused_and_nothing_is_overwritten()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var release = folder.PathOf("release");
        Directory.CreateDirectory(release);
        await File.WriteAllTextAsync(Path.Combine(release, "a.txt"), "a");
        await File.WriteAllTextAsync(release + ".iso", "an older image");

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", release, "--farm", "http://127.0.0.1:9");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, submit.ExitCode);
        Assert.Contains($"{release}.iso already exists; remove it, or name another image with --master-to", submit.Output, StringComparison.Ordinal);
        Assert.Equal("an older image", await File.ReadAllTextAsync(release + ".iso"));
    }

    [Fact]
    public async Task Submitting_a_folder_too_large_for_the_medium_is_refused_before_an_image_is_written()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var release = folder.PathOf("release");
        Directory.CreateDirectory(release);
        await using (var big = File.Create(Path.Combine(release, "big.bin")))
        {
            big.SetLength(800L * 1024 * 1024); // sparse: more than a CD-R holds
        }

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", release, "--media", "CD-R", "--farm", "http://127.0.0.1:9");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, submit.ExitCode);
        Assert.Contains("IMAPI_E_DISCFULL", submit.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(release + ".iso"));
    }

    [Fact]
    public async Task Farm_serve_shows_the_farms_drives_and_jobs_on_its_console()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[1024 * 1024]);
        using var farm = new OneHostFarm(folder);
        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "2", "--farm", farm.Url, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(150));
        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\n{farm.Outputs}");

        using var http = new HttpClient { BaseAddress = new Uri(farm.Url) };
        string status = "";
        await Wait.UntilAsync(async () =>
        {
            status = await http.GetStringAsync("/api/status");
            return status.Contains("\"status\":\"Completed\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), () => $"the console to show the job completed; it shows {status}");

        Assert.Contains("\"id\":\"solo-T1-D1\"", status, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"solo-T1-D2\"", status, StringComparison.Ordinal);
        Assert.Contains("\"verified\":2", status, StringComparison.Ordinal);
        Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Farm_serve_refuses_an_http_address_it_cannot_use()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", $"sqlite:{folder.PathOf("farm.db")}", "--cluster", "127.0.0.1:0", "--http", "5080");
        await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("--http must be an address such as http://127.0.0.1:5080", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Farm_serve_refuses_a_cluster_address_without_a_port()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", $"sqlite:{folder.PathOf("farm.db")}", "--cluster", "127.0.0.1");
        await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("--cluster takes HOST:PORT", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Farm_serve_refuses_a_heartbeat_pause_outside_half_a_second_to_a_minute()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", $"sqlite:{folder.PathOf("farm.db")}", "--cluster", "127.0.0.1:0", "--heartbeat-pause", "2m");
        await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("--heartbeat-pause must be between 500ms and 1m, not 2m", serve.Output, StringComparison.Ordinal);
    }
}
