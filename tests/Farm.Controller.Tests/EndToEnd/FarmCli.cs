using System.Diagnostics;
using Farm.MultiHost.Tests;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>Runs a real program (<c>farm</c> beside the tests, <c>farm-node</c> from its own build folder) to its end.</summary>
internal static class FarmCli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> RunAsync(TimeSpan timeout, params string[] arguments) => RunAsync(Processes.FarmDll, timeout, arguments);

    /// <summary>Runs the real <c>farm-node</c> program.</summary>
    public static Task<Result> RunNodeAsync(TimeSpan timeout, params string[] arguments) => RunAsync(Processes.FarmNodeDll, timeout, arguments);

    /// <summary>How the real <c>farm</c> program is started with these arguments (a caller may add environment variables).</summary>
    public static ProcessStartInfo StartInfo(params string[] arguments) => StartInfoOf(Processes.FarmDll, arguments);

    private static ProcessStartInfo StartInfoOf(string assembly, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task<Result> RunAsync(string assembly, TimeSpan timeout, string[] arguments)
    {
        using var process = Process.Start(StartInfoOf(assembly, arguments)) ?? throw new InvalidOperationException("could not start dotnet");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(assembly)} {string.Join(' ', arguments)} did not end within {timeout}; output so far: {await output}");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>A port nobody listens on now (the OS picks it), for a console that must not clash.</summary>
    public static int FreePort() => Processes.FreePort();
}
