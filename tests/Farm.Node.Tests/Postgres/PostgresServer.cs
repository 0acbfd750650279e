using System.Globalization;
using Farm.Testing;
using Npgsql;

namespace Farm.Node.Tests.Postgres;

[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

/// <summary>
/// A real PostgreSQL for the test run (<see cref="PrivatePostgres"/>: scripts/postgres/start.sh on a
/// private folder and a free port, installed with apt if missing), stopped and deleted after the
/// run; each test gets its own fresh database. Never skips: if the server cannot be started, every
/// test in the collection fails with the script's output.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>To the server's maintenance database (postgres).</summary>
    public string AdminConnectionString { get; private set; } = "";

    private PrivatePostgres? cluster;

    public async Task InitializeAsync()
    {
        cluster = await PrivatePostgres.StartAsync(CancellationToken.None);
        AdminConnectionString = cluster.AdminConnectionString;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>Creates an empty database and returns the connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"farm_test_{Guid.NewGuid():N}");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name};", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAsync(deleteData: true, CancellationToken.None);
        }
    }
}
