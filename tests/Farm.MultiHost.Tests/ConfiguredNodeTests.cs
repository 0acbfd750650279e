using Farm.Messages.Nodes;
using Farm.Node.Journal;
using Farm.Testing;

namespace Farm.MultiHost.Tests;

/// <summary>
/// A node described by node.json (the way real hardware is configured) joins the PostgreSQL farm
/// exactly as a <c>--simulate</c> node does: heartbeats for its lease, its events written to its
/// local journal first and shipped in order.
/// </summary>
[Collection(PrivatePostgresTests.Name)]
public sealed class ConfiguredNodeTests(PrivatePostgres postgres)
{
    [Fact]
    public async Task A_node_from_node_json_on_postgres_keeps_a_lease_and_a_local_journal_and_burns_a_job()
    {
        using var folder = new TempDirectory("farm-configured-node");
        var connectionString = await postgres.CreateDatabaseAsync();
        var store = PrivatePostgres.UriOf(connectionString);
        await File.WriteAllTextAsync(folder.PathOf("node.json"), $$"""
            {
              "nodeId": "cfg-1",
              "journal": "postgres:{{connectionString}}",
              "dataDirectory": "cfg-1-data",
              "timeScale": 50,
              "heartbeatSeconds": 0.5,
              "towers": [ { "id": "T1", "bins": { "input": { "media": "DVD+R", "capacity": 10 } },
                            "drives": [ { "id": "T1-D1", "simulate": "DVD+R" }, { "id": "T1-D2", "simulate": "DVD+R" } ] } ]
            }
            """);
        var image = folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[2 * 1024 * 1024]);
        using var serve = FarmProcess.Start("serve", Processes.FarmDll, "serve", "--store", store, "--lease-timeout", "4s");
        using var node = FarmProcess.Start("node", Processes.FarmNodeDll, "--config", folder.PathOf("node.json"));

        using var submit = FarmProcess.Start("submit", Processes.FarmDll, "submit", image, "--copies", "2", "--store", store, "--wait");
        await submit.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(submit.ExitCode == 0, $"submit: {submit.Output}\nserve: {serve.Output}\nnode: {node.Output}");
        Assert.Matches(@"job \S+: 2/2 copies verified, 0 rejected", submit.Output);
        Assert.Contains("farm-node cfg-1: 1 tower(s), 2 drive(s)", node.Output, StringComparison.Ordinal);
        await using var farm = await PostgresJournal.OpenAsync(connectionString, TimeProvider.System, PostgresJournalOptions.Default, null, CancellationToken.None);
        var entries = await JournalAudit.ReadAllAsync(farm);
        Assert.Contains(entries, e => e.Event is NodeHeartbeat { NodeId: "cfg-1" });
        Assert.True(File.Exists(folder.PathOf("cfg-1-data/node.db")), "the node keeps a local journal beside a remote farm");
        await using var local = await SqliteJournal.OpenAsync(folder.PathOf("cfg-1-data/node.db"), TimeProvider.System, CancellationToken.None);
        var drive = await local.ReadStreamAsync("drive-T1-D1", 1, CancellationToken.None);
        var shipped = await farm.ReadStreamAsync("drive-T1-D1", 1, CancellationToken.None);
        Assert.NotEmpty(drive);
        Assert.Equal(drive.Select(e => e.Event), shipped.Take(drive.Count).Select(e => e.Event)); // shipped in order, nothing lost
    }
}
