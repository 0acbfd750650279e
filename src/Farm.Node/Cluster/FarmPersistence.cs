using System.Globalization;
using Farm.Node.Configuration;

namespace Farm.Node.Cluster;

/// <summary>
/// The two event stores of the farm, both Akka.Persistence.Sql (DESIGN.md section 4): the farm's
/// database (the controller singleton's journal and snapshots: PostgreSQL for a multi-host farm,
/// SQLite for one host) as the default plugins, and a node's local SQLite journal under
/// <see cref="NodeJournalId"/>, where recorders and towers persist what happens at the drive, so a
/// node keeps burning and recording while the farm's database, the network or the controller is away.
/// </summary>
public static class FarmPersistence
{
    /// <summary>The node's journal plugin: recorders, towers and the delivery queue name it.</summary>
    public const string NodeJournalId = "akka.persistence.journal.node";

    /// <summary>The node's snapshot plugin.</summary>
    public const string NodeSnapshotId = "akka.persistence.snapshot-store.node";

    /// <summary>The farm database's journal plugin (the default journal).</summary>
    public const string FarmJournalId = "akka.persistence.journal.sql";

    /// <summary>The farm database's snapshot plugin (the default snapshot store).</summary>
    public const string FarmSnapshotId = "akka.persistence.snapshot-store.sql";

    /// <summary>The farm database's read journal (the console's history, the reports).</summary>
    public const string FarmQueryId = "akka.persistence.query.journal.sql";

    private const string SqliteProvider = "SQLite.MS";
    private const string PostgresProvider = "PostgreSQL.15";

    /// <summary>HOCON for the farm's database as the default journal and snapshot store.</summary>
    public static string FarmStoreHocon(JournalAddress store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var (connection, provider) = Describe(store);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            akka.persistence {
              journal.plugin = "akka.persistence.journal.sql"
              snapshot-store.plugin = "akka.persistence.snapshot-store.sql"
              journal.sql {
                class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                plugin-id = "{{FarmJournalId}}"
                connection-string = "{{Escape(connection)}}"
                provider-name = "{{provider}}"
                auto-initialize = true
                parallelism = {{WritersFor(store)}}
              }
              snapshot-store.sql {
                class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                plugin-id = "{{FarmSnapshotId}}"
                connection-string = "{{Escape(connection)}}"
                provider-name = "{{provider}}"
                auto-initialize = true
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                plugin-id = "{{FarmQueryId}}"
                connection-string = "{{Escape(connection)}}"
                provider-name = "{{provider}}"
                refresh-interval = 200ms
              }
            }
            """);
    }

    /// <summary>HOCON for a node's local SQLite journal and snapshot store in <paramref name="dataDirectory"/>.</summary>
    public static string NodeStoreHocon(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        var connection = NodeStoreConnection(dataDirectory);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            akka.persistence {
              journal.node {
                class = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql"
                plugin-id = "{{NodeJournalId}}"
                plugin-dispatcher = "akka.actor.default-dispatcher"
                connection-string = "{{Escape(connection)}}"
                provider-name = "{{SqliteProvider}}"
                auto-initialize = true
                parallelism = {{SqliteWriters}}
              }
              snapshot-store.node {
                class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                plugin-id = "{{NodeSnapshotId}}"
                plugin-dispatcher = "akka.actor.default-dispatcher"
                connection-string = "{{Escape(connection)}}"
                provider-name = "{{SqliteProvider}}"
                auto-initialize = true
              }
            }
            """);
    }

    /// <summary>
    /// The journal's concurrent write transactions on SQLite: one. SQLite has one writer at a time,
    /// and Microsoft.Data.Sqlite answers a writer that finds the file locked by sleeping 150 ms
    /// before it tries again; with the plugin's default of three writers the controller's commits
    /// came 150-160 ms apart whenever two batches met, and every node's reports waited for them
    /// (the 200-drive scale run, docs/BENCHMARKS.md). PostgreSQL keeps the plugin's three.
    /// </summary>
    internal const int SqliteWriters = 1;

    private static int WritersFor(JournalAddress store) => store.IsSqlite ? SqliteWriters : 3;

    /// <summary>The connection string of a node's local SQLite journal in <paramref name="dataDirectory"/>.</summary>
    public static string NodeStoreConnection(string dataDirectory) => SqliteConnection(Path.Combine(Path.GetFullPath(dataDirectory), "node.db"));

    /// <summary>The connection string of the farm's database (SQLite or PostgreSQL).</summary>
    public static string FarmStoreConnection(JournalAddress store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Describe(store).Connection;
    }

    private static (string Connection, string Provider) Describe(JournalAddress store) => store.IsSqlite
        ? (SqliteConnection(Path.GetFullPath(store.Target)), SqliteProvider)
        : (store.Target, PostgresProvider);

    /// <summary>A SQLite file shared by one process's plugins; WAL is switched on when it is created (see <see cref="PrepareSqlite"/>).</summary>
    private static string SqliteConnection(string path) => $"Data Source={path};Pooling=true";

    /// <summary>
    /// Creates the SQLite file's folder and puts the file in WAL mode (a persistent setting), so
    /// readers never block the one writer and a write costs one fsync less.
    /// </summary>
    public static void PrepareSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={full}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
