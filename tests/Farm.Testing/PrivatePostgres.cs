using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Farm.Testing;

/// <summary>
/// A private PostgreSQL cluster for one test run: scripts/postgres/start.sh with its own data
/// folder (a temporary one) and a port the OS says is free, so a run never meets a cluster left
/// by another checkout or another run. <see cref="StopAsync"/> stops it and deletes the folder.
/// Failing to start is an error, never a skip.
/// </summary>
public sealed class PrivatePostgres
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);
    private readonly string _root;
    private readonly Dictionary<string, string> _environment;

    private PrivatePostgres(string root, string dataDirectory, int port)
    {
        _root = root;
        DataDirectory = dataDirectory;
        Port = port;
        _environment = new Dictionary<string, string>
        {
            ["FARM_PG_DIR"] = dataDirectory,
            ["FARM_PG_PORT"] = port.ToString(CultureInfo.InvariantCulture),

            // The journal's tail reads below the oldest transaction still running in the cluster.
            // An autovacuum ANALYZE that took a transaction id before an append holds that append
            // back until it ends; tests that wait on a clock that never moves (only a notification
            // may wake them) would then wait for a poll that never comes. Production polls.
            ["FARM_PG_OPTIONS"] = "-c autovacuum=off",
        };
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>To the server's maintenance database (postgres), as start.sh prints it.</summary>
    public string AdminConnectionString { get; private set; } = "";

    public static async Task<PrivatePostgres> StartAsync(CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"farm-pg-{Guid.NewGuid():N}", "data");
        var cluster = new PrivatePostgres(root, dataDirectory, FreePort());
        var output = await cluster.RunScriptAsync("start.sh", cancellationToken).ConfigureAwait(false);
        cluster.AdminConnectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return cluster;
    }

    /// <summary>Stops the server (pg_ctl stop -m fast) and removes its folder; used to simulate an outage too.</summary>
    public async Task StopAsync(bool deleteData, CancellationToken cancellationToken)
    {
        await RunScriptAsync("stop.sh", cancellationToken).ConfigureAwait(false);
        if (deleteData)
        {
            Directory.Delete(Path.GetDirectoryName(DataDirectory)!, recursive: true);
        }
    }

    /// <summary>Starts the same cluster again after <see cref="StopAsync"/> without deleting its data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => RunScriptAsync("start.sh", cancellationToken);

    private async Task<string> RunScriptAsync(string name, CancellationToken cancellationToken)
    {
        var script = Path.Combine(_root, "scripts", "postgres", name);
        var start = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {script}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} did not finish within {ScriptTimeout}");
        }

        var output = await stdout.ConfigureAwait(false);
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"{script} failed (exit code {process.ExitCode}); PostgreSQL is required for these tests:\n{output}\n{await stderr.ConfigureAwait(false)}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The checkout the tests run from: the folder holding BurnFarm.sln above the test binaries.</summary>
public static class RepositoryRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BurnFarm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no BurnFarm.sln above {AppContext.BaseDirectory}");
    }
}
