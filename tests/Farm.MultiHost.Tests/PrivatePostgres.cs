using System.Globalization;
using Npgsql;

namespace Farm.MultiHost.Tests;

[CollectionDefinition(Name)]
public sealed class PrivatePostgresTests : ICollectionFixture<PrivatePostgres>
{
    public const string Name = "private-postgres";
}

/// <summary>
/// The multi-host tests' PostgreSQL: the shared private cluster of <see cref="Farm.Testing.PrivatePostgres"/>
/// (scripts/postgres/start.sh with its own data folder and a free port, so stopping it for an
/// outage test disturbs no other run or worktree) as an xunit fixture, with a fresh database per
/// test. Never skips: if the server cannot start, every test fails with the script's output.
/// Stopped and deleted at the end.
/// </summary>
public sealed class PrivatePostgres : IAsyncLifetime
{
    private Farm.Testing.PrivatePostgres? _cluster;

    private Farm.Testing.PrivatePostgres Cluster => _cluster ?? throw new InvalidOperationException("the PostgreSQL fixture has not started");

    public string AdminConnectionString => Cluster.AdminConnectionString;

    public int Port => Cluster.Port;

    public async Task InitializeAsync()
    {
        _cluster = await Farm.Testing.PrivatePostgres.StartAsync(CancellationToken.None);
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>scripts/postgres/stop.sh: a fast shutdown (clients are disconnected); the data stays.</summary>
    public Task StopAsync() => Cluster.StopAsync(deleteData: false, CancellationToken.None);

    /// <summary>scripts/postgres/start.sh on the same folder and port; this process's pooled connections died with the server, so the pools are cleared.</summary>
    public async Task StartAsync()
    {
        await Cluster.RestartAsync(CancellationToken.None);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A fresh database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"farm_mh_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The same database as a postgres:// address, as an operator would type it.</summary>
    public static string UriOf(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}");
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAsync(deleteData: true, CancellationToken.None);
        }
    }
}
