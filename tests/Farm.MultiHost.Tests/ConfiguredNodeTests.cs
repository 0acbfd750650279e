using System.Globalization;
using Farm.Messages.Drives;
using Farm.Messages.Nodes;
using Farm.Node.Configuration;
using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>
/// A node described by node.json (the way real hardware is configured) joins the PostgreSQL farm's
/// cluster exactly as a <c>--simulate</c> node does: it registers with the controller singleton,
/// persists in its local journal first, and its reports reach the farm's database in order.
/// </summary>
[Collection(PrivatePostgresTests.Name)]
public sealed class ConfiguredNodeTests(PrivatePostgres postgres)
{
    [Fact]
    public async Task A_node_from_node_json_on_a_postgres_farm_registers_keeps_a_local_journal_and_burns_a_job()
    {
        using var folder = new TempDirectory("farm-configured-node");
        var connectionString = await postgres.CreateDatabaseAsync();
        var store = PrivatePostgres.UriOf(connectionString);
        await File.WriteAllTextAsync(folder.PathOf("node.json"), """
            {
              "nodeId": "cfg-1",
              "timeScale": 50,
              "towers": [ { "id": "T1", "bins": { "input": { "media": "DVD+R", "capacity": 10 } },
                            "drives": [ { "id": "T1-D1", "simulate": "DVD+R" }, { "id": "T1-D2", "simulate": "DVD+R" } ] } ]
            }
            """);
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[2 * 1024 * 1024]);
        var seed = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Processes.FreePort()}");
        var url = FarmScenario.HttpOf(Processes.FreePort());
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", store, "--cluster", seed, "--seeds", seed, "--http", url);
        using var node = FarmProcess.Start("node", Processes.FarmNodeDll, "--cluster", "127.0.0.1:0", "--seeds", seed, "--node-id", "cfg-1", "--data", folder.PathOf("cfg-1-data"), "--config", folder.PathOf("node.json"));

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "2", "--farm", url, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(150));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\nserve: {serve.Output}\nnode: {node.Output}");
        Assert.Matches(@"job \S+: 2/2 copies verified, 0 rejected", submit.Output);
        await using var farm = JournalAudit.OfFarm(new JournalAddress(false, connectionString));
        var entries = await farm.ControllerAsync();
        Assert.Contains(entries, e => e.Event is NodeJoined { NodeId: "cfg-1" });

        await using var local = JournalAudit.OfNode(folder.PathOf("cfg-1-data"));
        var drive = (await local.EventsOfAsync("drive-T1-D1")).Where(e => e.Event is not SectorsWritten).ToList();
        var reported = entries.Where(e => e.Source == "drive-T1-D1").ToList();
        Assert.NotEmpty(drive);
        Assert.Equal(drive.Select(e => e.SequenceNr), reported.Select(e => e.SourceSequenceNr).Take(drive.Count)); // in order, nothing lost
        // As JSON: events that carry a list (BurnFinished's speed curve, DiscVerified's tracks) are
        // equal by content, not by the list's reference.
        static string AsJson(object e) => e.GetType().Name + System.Text.Json.JsonSerializer.Serialize(e, e.GetType());
        Assert.Equal(drive.Select(e => AsJson(e.Event)), reported.Select(e => AsJson(e.Event)).Take(drive.Count));
    }
}
