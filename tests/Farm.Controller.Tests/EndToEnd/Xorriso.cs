using System.Diagnostics;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>Runs Debian's xorriso (test.sh installs it) and returns what it printed; a non-zero exit fails the test with its output.</summary>
internal static class Xorriso
{
    public static async Task<string> RunAsync(TimeSpan patience, params string[] arguments)
    {
        var start = new ProcessStartInfo("xorriso") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start xorriso; test.sh installs it");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(cancel.Token);
        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"xorriso exited {process.ExitCode}:\n{text}");
        return text;
    }
}
