using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Farm.MultiHost.Tests;

[CollectionDefinition(Name)]
public sealed class PrivatePostgresTests : ICollectionFixture<PrivatePostgres>
{
    public const string Name = "private-postgres";
}

/// <summary>
/// A PostgreSQL cluster of this test run alone: scripts/postgres/start.sh with its own data folder
/// and a free port (FARM_PG_DIR, FARM_PG_PORT), so stopping it for an outage test disturbs no other
/// run or worktree. Never skips: if the server cannot start, every test fails with the script's
/// output. Stopped and deleted at the end.
/// </summary>
public sealed class PrivatePostgres : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), $"farm-mh-pg-{Guid.NewGuid():N}");
    private int port;

    public string AdminConnectionString { get; private set; } = "";

    public int Port => port;

    public async Task InitializeAsync()
    {
        port = Processes.FreePort();
        var output = await RunScriptAsync("start.sh");
        AdminConnectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
    }

    /// <summary>scripts/postgres/stop.sh: a fast shutdown (clients are disconnected).</summary>
    public Task StopAsync() => RunScriptAsync("stop.sh");

    /// <summary>scripts/postgres/start.sh on the same folder and port; this process's pooled connections died with the server, so the pools are cleared.</summary>
    public async Task StartAsync()
    {
        await RunScriptAsync("start.sh");
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
        try
        {
            await RunScriptAsync("stop.sh");
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private async Task<string> RunScriptAsync(string name)
    {
        var script = Path.Combine(Processes.RepositoryRoot, "scripts", "postgres", name);
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Processes.RepositoryRoot,
        };
        start.Environment["FARM_PG_DIR"] = dataDirectory;
        start.Environment["FARM_PG_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} did not finish within {ScriptTimeout}:\n{await stdout}\n{await stderr}");
        }

        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"{script} failed (exit code {process.ExitCode}); PostgreSQL is required for these tests:\n{await stdout}\n{await stderr}");
    }
}
