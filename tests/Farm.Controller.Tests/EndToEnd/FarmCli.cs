using System.Diagnostics;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>Runs the real <c>farm</c> program (farm.dll beside the tests) as a separate process.</summary>
internal static class FarmCli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static string AssemblyPath => Path.Combine(AppContext.BaseDirectory, "farm.dll");

    public static string NodeAssemblyPath => Path.Combine(AppContext.BaseDirectory, "farm-node.dll");

    public static ProcessStartInfo StartInfo(params string[] arguments) => StartInfoOf(AssemblyPath, arguments);

    public static ProcessStartInfo NodeStartInfo(params string[] arguments) => StartInfoOf(NodeAssemblyPath, arguments);

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

    public static Task<Result> RunAsync(TimeSpan timeout, params string[] arguments) => RunAsync(AssemblyPath, timeout, arguments);

    /// <summary>Runs the real <c>farm-node</c> program.</summary>
    public static Task<Result> RunNodeAsync(TimeSpan timeout, params string[] arguments) => RunAsync(NodeAssemblyPath, timeout, arguments);

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
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
