using System.Diagnostics;
using System.Globalization;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// Debian's tgt (a SCSI target nobody here wrote) started by scripts/tgt/start.sh on 127.0.0.1
/// with a private control number and a free port, and stopped by stop.sh: a DVD+R writer, and a
/// media changer with its own drive. tgt needs root (the script installs it if missing); if it
/// cannot start, the test fails with the script's explanation, never skips.
/// </summary>
internal sealed class TgtTarget : IAsyncDisposable
{
    private readonly string _stateDirectory;
    private readonly Dictionary<string, string> _environment;

    private TgtTarget(string stateDirectory, Dictionary<string, string> environment, Dictionary<string, string> settings)
    {
        _stateDirectory = stateDirectory;
        _environment = environment;
        Settings = settings;
    }

    /// <summary>What start.sh reported: TGT_DVD_URL, TGT_CHANGER_URL, TGT_CHANGER_DRIVE_URL, TGT_MEDIA_DIR...</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public string this[string key] => Settings[key];

    /// <param name="control">tgtd's control number: one per test class, so classes never share a daemon.</param>
    /// <param name="slots">Changer slots 1024.. ; the first <paramref name="blanks"/> hold blank DVD+R (DISC_000...).</param>
    public static async Task<TgtTarget> StartAsync(string stateDirectory, int control, int slots = 4, int blanks = 3)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BURNFARM_TGT_CONTROL"] = control.ToString(CultureInfo.InvariantCulture),
            ["BURNFARM_TGT_PORT"] = FarmCli.FreePort().ToString(CultureInfo.InvariantCulture),
            ["BURNFARM_TGT_SLOTS"] = slots.ToString(CultureInfo.InvariantCulture),
            ["BURNFARM_TGT_BLANKS"] = blanks.ToString(CultureInfo.InvariantCulture),
        };
        await RunScriptAsync("start.sh", stateDirectory, environment);
        var settings = File.ReadAllLines(Path.Combine(stateDirectory, "tgt.env"))
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
        return new TgtTarget(stateDirectory, environment, settings);
    }

    public async ValueTask DisposeAsync() => await RunScriptAsync("stop.sh", _stateDirectory, _environment);

    private static async Task RunScriptAsync(string name, string stateDirectory, Dictionary<string, string> environment)
    {
        var script = Path.Combine(RepositoryRoot.Find(), "scripts", "tgt", name);
        var start = new ProcessStartInfo("bash", [script, stateDirectory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}); tgt is required for this test:\n{await output}\n{await error}");
        }
    }
}
