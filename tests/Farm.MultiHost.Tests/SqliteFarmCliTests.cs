using Farm.Messages.Jobs;
using Farm.Node.Journal;
using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>The same commands on one host with a SQLite store: serve, a simulated node, submit --wait, jobs.</summary>
public sealed class SqliteFarmCliTests
{
    [Fact]
    public async Task Serve_a_simulated_node_and_submit_wait_burn_a_job_through_a_SQLite_store()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var store = $"sqlite:{folder.PathOf("farm.db")}";
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[2 * 1024 * 1024]);
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", store);
        using var node = FarmProcess.Start("node", Processes.FarmNodeDll, "--store", store, "--simulate", "2", "--time-scale", "50", "--node-id", "solo", "--data", folder.PathOf("solo"));

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "3", "--store", store, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\nserve: {serve.Output}\nnode: {node.Output}");
        Assert.Matches(@"job \S+: 3/3 copies verified, 0 rejected", submit.Output);
        using var jobs = FarmProcess.Start("jobs", Processes.FarmDll, "jobs", "--store", store);
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
        var store = $"sqlite:{folder.PathOf("farm.db")}";
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", store);
        using var node = FarmProcess.Start("node", Processes.FarmNodeDll, "--store", store, "--simulate", "2", "--time-scale", "50", "--node-id", "solo", "--data", folder.PathOf("solo"));

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", release, "--copies", "2", "--store", store, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\nserve: {serve.Output}\nnode: {node.Output}");
        Assert.Matches(@"job \S+: 2/2 copies verified, 0 rejected", submit.Output);
        var image = release + ".iso";
        var sha256 = System.Text.RegularExpressions.Regex.Match(submit.Output, $"mastered {System.Text.RegularExpressions.Regex.Escape(image)}: sha256 ([0-9a-f]{{64}})").Groups[1].Value;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(image))), sha256);
        await using var journal = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        var entries = await journal.ReadAllAsync(0, int.MaxValue, CancellationToken.None);
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

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", release, "--store", $"sqlite:{folder.PathOf("farm.db")}");
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

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", release, "--media", "CD-R", "--store", $"sqlite:{folder.PathOf("farm.db")}");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, submit.ExitCode);
        Assert.Contains("IMAPI_E_DISCFULL", submit.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(release + ".iso"));
    }

    [Fact]
    public async Task Farm_serve_with_console_shows_the_farms_drives_and_jobs_as_the_journal_has_them()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        var store = $"sqlite:{folder.PathOf("farm.db")}";
        var url = $"http://127.0.0.1:{Processes.FreePort()}";
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[1024 * 1024]);
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", store, "--console", url);
        using var node = FarmProcess.Start("node", Processes.FarmNodeDll, "--store", store, "--simulate", "2", "--time-scale", "50", "--node-id", "solo", "--data", folder.PathOf("solo"));
        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "2", "--store", store, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\nserve: {serve.Output}");

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        string status = "";
        await Wait.UntilAsync(async () =>
        {
            status = await http.GetStringAsync("/api/status");
            return status.Contains("\"status\":\"Completed\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), () => $"the console to show the job completed; it shows {status}");

        Assert.Contains($"farm serve: console: {url}", serve.Output, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"solo-T1-D1\"", status, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"solo-T1-D2\"", status, StringComparison.Ordinal);
        Assert.Contains("\"verified\":2", status, StringComparison.Ordinal);
        Assert.Contains("<html", await http.GetStringAsync("/"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Farm_serve_refuses_a_console_address_it_cannot_use()
    {
        using var folder = new TempDirectory("farm-sqlite-cli");
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", $"sqlite:{folder.PathOf("farm.db")}", "--console", "5080");
        await serve.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, serve.ExitCode);
        Assert.Contains("--console must be an address such as http://127.0.0.1:5080", serve.Output, StringComparison.Ordinal);
    }
}
