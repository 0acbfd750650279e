using System.Security.Cryptography;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// A <c>farm-node --config node.json</c> process whose tower is tgt's SCSI media changer and whose
/// drive is tgt's DVD writer, both over iSCSI, in the cluster of a <c>farm serve</c> on SQLite:
/// the farm burns a job on it, the changer's MOVE MEDIUM really loads each blank into the drive,
/// and the discs in the output slots hold the image. <c>farm-node drives</c> lists the configured
/// hardware as it answers; a node whose changer cannot be reached says so and exits 2.
/// </summary>
public sealed class NodeOnTgtTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _folder = new("node-tgt");
    private TgtTarget? _tgt;

    public async Task InitializeAsync() => _tgt = await TgtTarget.StartAsync(_folder.PathOf("tgt"), control: 21, slots: 5, blanks: 2);

    public async Task DisposeAsync()
    {
        if (_tgt is not null)
        {
            await _tgt.DisposeAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Slots 1024-1025 hold the blanks; 1026-1027 are the output bin, 1028 the reject bin.</summary>
    private string WriteConfig()
    {
        var path = _folder.PathOf("node.json");
        File.WriteAllText(path, $$"""
            {
              "nodeId": "node-tgt",
              "progress": { "intervalSeconds": 0.25 },
              "towers": [ { "id": "T1",
                "robot": "smc:{{_tgt!["TGT_CHANGER_URL"]}}",
                "slots": { "input": "1024-1025", "output": "1026-1027", "reject": "1028", "arm": {{_tgt["TGT_CHANGER_ARM"]}} },
                "bins": { "input": { "media": "DVD+R" } }, "printer": true,
                "drives": [ { "id": "T1-D1", "device": "{{_tgt["TGT_CHANGER_DRIVE_URL"]}}", "element": {{_tgt["TGT_CHANGER_DRIVE"]}} } ] } ]
            }
            """);
        return path;
    }

    /// <summary>farm-node's arguments with this config; the seeds only matter once the hardware is up.</summary>
    private string[] NodeArguments(string config, string seed) =>
        ["--cluster", "127.0.0.1:0", "--seeds", seed, "--node-id", "node-tgt", "--data", _folder.PathOf("node-tgt"), "--config", config];

    [Fact]
    public async Task A_node_on_tgts_changer_and_drive_burns_a_job_and_bins_each_verified_disc()
    {
        var config = WriteConfig();
        var image = _folder.PathOf("image.iso");
        var bytes = new byte[1024 * 1024];
        new Random(9).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);
        await using var farm = await InTestController.StartAsync(_folder.PathOf("farm.db"), Processes.FreePort());

        using var node = FarmProcess.Start("farm-node", Processes.FarmNodeDll, NodeArguments(config, farm.Seed));
        await farm.WaitForIdleDrivesAsync(1, () => $"farm-node said:\n{node.Output}");

        // The changer's tower reports no printer (the config's "printer": true is not a printer the
        // node drives), so a labelled job is refused at submit rather than burned without labels.
        await Wait.UntilAsync(async () => (await farm.Journal.StateAsync()).Towers.ContainsKey("T1"), InTestController.Patience, () => $"tower T1 reported; farm-node said:\n{node.Output}");
        Assert.False((await farm.Journal.StateAsync()).Towers["T1"].CanPrintLabels);
        using (var labelled = FarmProcess.Start("farm submit", Processes.FarmDll, "submit", image, "--copies", "1", "--label", "{job} copy {copy}", "--farm", farm.Url))
        {
            await labelled.WaitForExitAsync(InTestController.Patience);
            Assert.True(labelled.ExitCode != 0, $"a labelled job was accepted by a farm whose only tower cannot print: {labelled.Output}");
            Assert.Contains("no tower holding DVD+R media can print it (T1", labelled.Output, StringComparison.Ordinal);
        }

        var jobId = await farm.SubmitAsync(image, copies: 2);
        var job = await farm.WaitForJobAsync(jobId, j => j.Status is JobStatus.Completed or JobStatus.Failed, "to end", () => $"farm-node said:\n{node.Output}");
        await Wait.UntilAsync(async () => JournalAudit.EveryDiscBinned(await farm.Journal.ControllerAsync(), jobId), InTestController.Patience, () => $"every disc binned; farm-node said:\n{node.Output}");

        Assert.True(job.Status == JobStatus.Completed, $"{job.Status}: {job.Why}; {string.Join("; ", job.Failures)}\nfarm-node said:\n{node.Output}");
        Assert.Equal((2, 0), (job.Verified, job.Rejected));
        Assert.DoesNotContain("the tray did not open", node.Output, StringComparison.Ordinal); // ejected for the arm before each move
        var binned = (await farm.Journal.ControllerAsync()).Select(e => e.Event).OfType<DiscUnloaded>().ToList();
        Assert.Equal(["DISC_000", "DISC_001"], binned.Select(d => d.DiscId).Order(StringComparer.Ordinal));
        Assert.All(binned, d => Assert.Equal(Bins.Output, d.Bin));
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.All(job.CopyStates.Values, c => Assert.Equal(expected, c.Sha256));
        foreach (var disc in new[] { "DISC_000", "DISC_001" })
        {
            var burned = await File.ReadAllBytesAsync(Path.Combine(_tgt!["TGT_MEDIA_DIR"], disc));
            Assert.True(burned.AsSpan(0, bytes.Length).SequenceEqual(bytes), $"{disc} does not hold the image");
        }
    }

    [Fact]
    public async Task Farm_node_drives_asks_the_configured_changer_and_drive_what_they_are_and_hold()
    {
        var config = WriteConfig();

        var result = await FarmCli.RunNodeAsync(TimeSpan.FromMinutes(1), "drives", "--config", config);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"tower T1: media changer {_tgt!["TGT_CHANGER_URL"]}: BURNFARM TGT-SMC 0001: input 2 DVD+R blank(s) in slots 1024-1025, output 0 in slots 1026-1027, reject 0 in slot 1028", result.Output, StringComparison.Ordinal);
        Assert.Contains($"drive T1-D1 (tower T1, element 1): {_tgt["TGT_CHANGER_DRIVE_URL"]}: BURNFARM TGT-DVD 0001, medium no disc", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Farm_node_drives_says_why_a_configured_target_cannot_be_reached()
    {
        var config = WriteConfig();
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace(":changer/1", ":nosuchtarget/1", StringComparison.Ordinal));

        var result = await FarmCli.RunNodeAsync(TimeSpan.FromMinutes(1), "drives", "--config", config);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Matches(@"drive T1-D1 \(tower T1, element 1\): iscsi://127\.0\.0\.1:\d+/iqn\.2025-01\.org\.burnfarm:nosuchtarget/1: , medium \?, cannot open: .+", result.Output);
    }

    [Fact]
    public async Task A_node_whose_changer_cannot_be_reached_says_which_tower_and_why_and_exits_2()
    {
        var config = WriteConfig();
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config)).Replace(":changer/2", ":nosuchchanger/2", StringComparison.Ordinal));

        // No controller is needed: the node opens its hardware before it joins the cluster.
        var result = await FarmCli.RunNodeAsync(TimeSpan.FromMinutes(1), NodeArguments(config, $"127.0.0.1:{Processes.FreePort()}"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("farm-node node-tgt: tower T1: the media changer iscsi://", result.Error, StringComparison.Ordinal);
        Assert.Contains("nosuchchanger/2 cannot be opened", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // a message, not a stack trace
    }
}
