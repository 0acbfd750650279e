using System.Data.Common;
using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using LinqToDB;

namespace Farm.Node.Cluster;

/// <summary>
/// Makes a SQLite writer that finds the file locked wait for the lock in SQLite itself
/// (<c>PRAGMA busy_timeout</c>), not in Microsoft.Data.Sqlite. Without a busy timeout SQLite answers
/// SQLITE_BUSY at once, and Microsoft.Data.Sqlite 10 then sleeps 150 ms before it tries again,
/// however soon the lock is free: measured here, a second writer waited 150 ms for a lock held 5 ms,
/// and 8 ms with the busy timeout (SqliteBusyWaitSpecs). A farm's SQLite file has more than one
/// writer (the journal's writes, the snapshot store's), so in the 200-drive scale run the
/// controller's commits came 150-160 ms apart whenever two met, and every node's reports waited
/// for them (docs/BENCHMARKS.md, "SQLite's 150 ms").
/// </summary>
/// <remarks>
/// Akka.Persistence.Sql opens its connections through linq2db; a <see cref="MultiDataOptionsSetup"/>
/// gives each SQLite plugin the same connection with the pragma run as it opens. The plugin finds
/// its options by its <c>plugin-id</c>, which <see cref="FarmPersistence"/>'s HOCON sets.
/// </remarks>
public static class SqliteBusyWait
{
    /// <summary>How long a writer waits for the lock before SQLITE_BUSY: Microsoft.Data.Sqlite's own command timeout.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>linq2db options for <paramref name="connectionString"/> on SQLite whose connections wait for a locked file in SQLite.</summary>
    public static DataOptions Options(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseAfterConnectionOpened(SetBusyTimeout, SetBusyTimeoutAsync);
    }

    /// <summary>
    /// Gives the plugins <paramref name="pluginIds"/> the options for <paramref name="connectionString"/>,
    /// in the one <see cref="MultiDataOptionsSetup"/> of the ActorSystem <paramref name="builder"/>
    /// makes (an ActorSystem keeps one setup of a type, so the farm's store and a node's share it).
    /// </summary>
    public static AkkaConfigurationBuilder AddSqliteBusyWait(this AkkaConfigurationBuilder builder, string connectionString, params string[] pluginIds)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var setup = builder.Setups.OfType<MultiDataOptionsSetup>().FirstOrDefault();
        if (setup is null)
        {
            setup = new MultiDataOptionsSetup();
            builder.AddSetup(setup);
        }

        var options = Options(connectionString);
        foreach (var pluginId in pluginIds)
        {
            setup.AddDataOptions(pluginId, options);
        }

        return builder;
    }

    private static void SetBusyTimeout(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    private static async Task SetBusyTimeoutAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            command.CommandText = Pragma;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Pragma => FormattableString.Invariant($"PRAGMA busy_timeout = {(int)Limit.TotalMilliseconds};");
}
