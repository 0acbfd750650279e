using System.Diagnostics;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// The third-party readers the images are checked with (Debian's xorriso and genisoimage's
/// isoinfo, installed by test.sh): a tool we did not write must read what we wrote. A tool
/// that is missing or fails fails the test with its output.
/// </summary>
internal static class IsoTools
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static Task<string> IsoInfoAsync(params string[] arguments) => RunAsync("isoinfo", arguments);

    public static Task<string> XorrisoAsync(params string[] arguments) => RunAsync("xorriso", arguments);

    /// <summary>Extracts the image's tree (Joliet names, as xorriso prefers them) into <paramref name="into"/>.</summary>
    public static Task<string> ExtractAsync(string image, string into) =>
        XorrisoAsync("-osirrox", "on", "-indev", image, "-extract", "/", into);

    /// <summary>Every one of <paramref name="parts"/> is in <paramref name="text"/> (the first missing one fails).</summary>
    public static void AssertContainsAll(string text, params string[] parts)
    {
        foreach (var part in parts)
        {
            Assert.Contains(part, text, StringComparison.Ordinal);
        }
    }

    public static Task<string> RunAsync(string tool, params string[] arguments) => RunInAsync(null, tool, arguments);

    /// <summary>Runs <paramref name="tool"/> in <paramref name="directory"/> (cdrdao opens a cue's FILE relative to its working directory).</summary>
    public static async Task<string> RunInAsync(string? directory, string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (directory is not null)
        {
            start.WorkingDirectory = directory;
        }

        start.Environment["LANG"] = "C.UTF-8"; // xorriso prints and extracts Joliet names in the locale's charset
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}; test.sh installs xorriso and genisoimage");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not end within {Patience}");
        }

        var text = await output + await error;
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}:\n{text}");
        return text;
    }
}
