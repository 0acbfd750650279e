using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Testing;
using LinqToDB;
using LinqToDB.Data;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Farm.Node.Tests.Cluster;

/// <summary>
/// The farm's SQLite files wait for a lock in SQLite (busy_timeout), not in Microsoft.Data.Sqlite's
/// 150 ms sleep (SqliteBusyWait; its effect is measured in the 200-drive scale run, docs/BENCHMARKS.md).
/// </summary>
public sealed class SqliteBusyWaitSpecs : IDisposable
{
    private readonly TempDirectory _folder = new("busy-wait");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_connection_opened_with_the_options_waits_in_SQLite_for_a_locked_file()
    {
        using var connection = new DataConnection(SqliteBusyWait.Options($"Data Source={_folder.PathOf("node.db")}"));

        var busyTimeout = connection.Execute<long>("PRAGMA busy_timeout;");

        Assert.Equal((long)SqliteBusyWait.Limit.TotalMilliseconds, busyTimeout);
    }

    [Fact]
    public void A_connection_opened_without_them_answers_busy_at_once()
    {
        // What the options change: SQLite's own default, which left the waiting to the 150 ms sleep.
        using var connection = new DataConnection(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, $"Data Source={_folder.PathOf("node.db")}"));

        Assert.Equal(0L, connection.Execute<long>("PRAGMA busy_timeout;"));
    }

    [Fact]
    public void Every_plugin_of_the_farm_store_names_itself_so_the_setup_reaches_it()
    {
        var config = ConfigurationFactory.ParseString(FarmPersistence.FarmStoreHocon(new JournalAddress(true, _folder.PathOf("farm.db"))));

        Assert.Equal(FarmPersistence.FarmJournalId, config.GetString($"{FarmPersistence.FarmJournalId}.plugin-id"));
        Assert.Equal(FarmPersistence.FarmSnapshotId, config.GetString($"{FarmPersistence.FarmSnapshotId}.plugin-id"));
        Assert.Equal(FarmPersistence.FarmQueryId, config.GetString($"{FarmPersistence.FarmQueryId}.plugin-id"));
    }

    [Fact]
    public void Every_plugin_of_the_node_store_names_itself_so_the_setup_reaches_it()
    {
        var config = ConfigurationFactory.ParseString(FarmPersistence.NodeStoreHocon(_folder.FullPath));

        Assert.Equal(FarmPersistence.NodeJournalId, config.GetString($"{FarmPersistence.NodeJournalId}.plugin-id"));
        Assert.Equal(FarmPersistence.NodeSnapshotId, config.GetString($"{FarmPersistence.NodeSnapshotId}.plugin-id"));
    }

    [Fact]
    public void The_farm_store_and_a_node_store_in_one_process_share_one_setup()
    {
        // An ActorSystem keeps one setup of a type: a second would hide the first's plugins (the demo runs both stores).
        var builder = new AkkaConfigurationBuilder(new ServiceCollection(), "busy-wait");

        builder.AddSqliteBusyWait(FarmPersistence.FarmStoreConnection(new JournalAddress(true, _folder.PathOf("farm.db"))), FarmPersistence.FarmJournalId, FarmPersistence.FarmSnapshotId);
        builder.AddSqliteBusyWait(FarmPersistence.NodeStoreConnection(_folder.FullPath), FarmPersistence.NodeJournalId);

        var setup = Assert.Single(builder.Setups.OfType<MultiDataOptionsSetup>());
        Assert.All(new[] { FarmPersistence.FarmJournalId, FarmPersistence.FarmSnapshotId, FarmPersistence.NodeJournalId }, id => Assert.True(setup.TryGetDataOptionsFor(id, out _), id));
        Assert.False(setup.TryGetDataOptionsFor(FarmPersistence.NodeSnapshotId, out _));
    }
}
