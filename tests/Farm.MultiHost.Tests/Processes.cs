using System.Diagnostics;
using System.Text;

namespace Farm.MultiHost.Tests;

/// <summary>Where the real programs are, and a free port.</summary>
internal static class Processes
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>farm.dll, copied beside the tests.</summary>
    public static string FarmDll => Path.Combine(AppContext.BaseDirectory, "farm.dll");

    /// <summary>
    /// farm-node.dll from its own build folder (same configuration as the tests): beside the
    /// controller it would load the ASP.NET shared framework's assemblies it does not declare.
    /// </summary>
    public static string FarmNodeDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var path = Path.Combine(RepositoryRoot, "src", "Farm.Node", "bin", configuration, "net10.0", "farm-node.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"farm-node is not built for {configuration}: build BurnFarm.sln first", path);
        }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
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

/// <summary>One real program (farm or farm-node) run by a test: its output is kept for assertions and failure messages; <see cref="Kill"/> is SIGKILL.</summary>
internal sealed class FarmProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private FarmProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static FarmProcess Start(string name, string dll, params string[] arguments) => StartAs(name, "dotnet", [dll, .. arguments]);

    /// <summary>The program run by <paramref name="wrapper"/> (e.g. unshare): <c>wrapper wrapperArguments... dotnet dll arguments...</c>.</summary>
    public static FarmProcess StartWrapped(string name, string wrapper, IReadOnlyList<string> wrapperArguments, string dll, params string[] arguments) =>
        StartAs(name, wrapper, [.. wrapperArguments, "dotnet", dll, .. arguments]);

    private static FarmProcess StartAs(string name, string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var farm = new FarmProcess(name, process);
        process.OutputDataReceived += (_, e) => farm.Append(e.Data, "");
        process.ErrorDataReceived += (_, e) => farm.Append(e.Data, "err: ");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return farm;
    }

    /// <summary>SIGKILL: no clean-up of any kind, as in a power cut of that process.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            _process.WaitForExit(10_000);
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}; its output:\n{Output}");
        }

        _process.WaitForExit(); // drains the output events
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        await Wait.UntilAsync(() => Task.FromResult(Output.Contains(text, StringComparison.Ordinal) || _process.HasExited), timeout, () => $"{Name} to print '{text}'; its output:\n{Output}");
        if (!Output.Contains(text, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Name} exited (code {_process.ExitCode}) without printing '{text}'; its output:\n{Output}");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
    }

    private bool _disposed;

    private void Append(string? line, string prefix)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Append(prefix).AppendLine(line);
        }
    }
}

/// <summary>Waiting on observable conditions, never on time alone.</summary>
internal static class Wait
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="condition"/>; a failure to read (the database restarting, a controller moving) counts as "not yet".</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = Stopwatch.StartNew();
        Exception? lastFailure = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception failure) when (failure is not (TimeoutException or Xunit.Sdk.XunitException))
            {
                lastFailure = failure;
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what()}{(lastFailure is null ? "" : $" (last failure: {lastFailure.Message})")}");
            }

            await Task.Delay(Poll);
        }
    }
}
