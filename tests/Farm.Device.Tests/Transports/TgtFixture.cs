using System.Diagnostics;
namespace Farm.Device.Tests.Transports;

/// <summary>
/// A private tgtd (Debian's user-space SCSI target) started through scripts/tgt/start.sh on
/// 127.0.0.1 with its own control number and port, and stopped through stop.sh on dispose.
/// There is no silent skip: when tgt cannot start (not root, no package, port taken), every
/// test of the collection fails with the script's own explanation.
/// </summary>
public sealed class TgtFixture : IAsyncLifetime
{
    /// <summary>Not the system's tgt (control 0, port 3260), not the manual scripts' default either.</summary>
    private const string ControlNumber = "17";
    private const string Port = "3271";

    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("burnfarm-tgt-").FullName;
    private string? _startFailure;
    private Dictionary<string, string> _environment = [];

    public string DvdUrl => Value("TGT_DVD_URL");

    public string DvdBackingFile => Value("TGT_DVD_BACKING");

    public string ChangerUrl => Value("TGT_CHANGER_URL");

    public string ChangerDriveUrl => Value("TGT_CHANGER_DRIVE_URL");

    public int ChangerInt(string key) => int.Parse(Value(key), System.Globalization.CultureInfo.InvariantCulture);

    public string MediaDirectory => Value("TGT_MEDIA_DIR");

    public async Task InitializeAsync() => await RestartAsync();

    /// <summary>Deletes and recreates the targets: a blank DVD+R again, the changer's slots as at first.</summary>
    public async Task RestartAsync()
    {
        var (exit, output) = await RunScriptAsync("start.sh");
        if (exit != 0)
        {
            _startFailure = $"tgt could not be started by scripts/tgt/start.sh (exit {exit}); these tests need root and the packages tgt, libiscsi7 and libiscsi-bin:\n{output}";
            return;
        }

        _startFailure = null;
        _environment = output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].StartsWith("TGT_", StringComparison.Ordinal))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop.sh");
        Directory.Delete(_stateDirectory, recursive: true);
    }

    private string Value(string key)
    {
        if (_startFailure is not null)
        {
            Assert.Fail(_startFailure);
        }

        return _environment.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"start.sh did not report {key}");
    }

    private async Task<(int ExitCode, string Output)> RunScriptAsync(string script)
    {
        var path = Path.Combine(RepositoryRoot(), "scripts", "tgt", script);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(_stateDirectory);
        start.Environment["BURNFARM_TGT_CONTROL"] = ControlNumber;
        start.Environment["BURNFARM_TGT_PORT"] = Port;
        start.Environment["BURNFARM_TGT_SLOTS"] = "5";
        start.Environment["BURNFARM_TGT_BLANKS"] = "2";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {path}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepositoryRoot()
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

[CollectionDefinition(Name)]
public sealed class TgtTestGroup : ICollectionFixture<TgtFixture>
{
    public const string Name = "tgt";
}
