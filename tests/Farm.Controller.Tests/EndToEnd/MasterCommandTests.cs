using System.Diagnostics;
using System.Security.Cryptography;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>`farm master` as a user runs it: a separate process, its output, its exit code, the image xorriso reads back.</summary>
public sealed class MasterCommandTests : IDisposable
{
    internal static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _folder = new("farm-master-cli");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Mastering_a_folder_prints_the_blocks_and_sha256_of_an_image_xorriso_extracts()
    {
        var source = _folder.PathOf("disc");
        Directory.CreateDirectory(Path.Combine(source, "sub", "empty"));
        var data = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(data);
        await File.WriteAllBytesAsync(Path.Combine(source, "sub", "Données été.bin"), data);
        await File.WriteAllTextAsync(Path.Combine(source, "read me.txt"), "hello");
        var image = _folder.PathOf("disc.iso");

        var result = await FarmCli.RunAsync(Patience, "master", source, "-o", image, "--volume-id", "My Disc");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var bytes = await File.ReadAllBytesAsync(image);
        Assert.Contains($"wrote {image}: {bytes.Length / 2048:N0} blocks", result.Output, StringComparison.Ordinal);
        Assert.Contains($"sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}", result.Output, StringComparison.Ordinal);
        Assert.Contains("as volume MY_DISC", result.Output, StringComparison.Ordinal);
        var extracted = _folder.PathOf("out");
        await RunAsync("xorriso", "-osirrox", "on", "-indev", image, "-extract", "/", extracted);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(extracted, "sub", "Données été.bin")));
        Assert.Equal("hello", await File.ReadAllTextAsync(Path.Combine(extracted, "read me.txt")));
        Assert.True(Directory.Exists(Path.Combine(extracted, "sub", "empty")));
    }

    [Fact]
    public async Task A_missing_folder_prints_the_error_and_exits_2_without_an_image()
    {
        var missing = _folder.PathOf("nope");
        var image = _folder.PathOf("nope.iso");

        var result = await FarmCli.RunAsync(Patience, "master", missing, "-o", image);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"farm master: E_INVALIDARG (0x80070057): folder '{missing}' does not exist; check the path", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public async Task A_name_joliet_cannot_hold_exits_2_with_bad_joliet_name()
    {
        var source = _folder.PathOf("bad");
        Directory.CreateDirectory(source);
        await File.WriteAllTextAsync(Path.Combine(source, "what?.txt"), "x");

        var result = await FarmCli.RunAsync(Patience, "master", source, "-o", _folder.PathOf("bad.iso"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("IMAPI_E_BADJOLIETNAME (0x8004021D): 'what?.txt' cannot be mastered", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_inside_the_folder_it_masters_is_refused()
    {
        var source = _folder.PathOf("self");
        Directory.CreateDirectory(source);

        var result = await FarmCli.RunAsync(Patience, "master", source, "-o", Path.Combine(source, "self.iso"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("would be inside the folder it masters; write it elsewhere", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs a third-party tool to its end; a failure fails the test with its output, else the output.</summary>
    internal static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LANG"] = "C.UTF-8"; // xorriso extracts Joliet names in the locale's charset
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(cancel.Token);
        Assert.True(process.ExitCode == 0, $"{tool} exited {process.ExitCode}: {await output}{await error}");
        return await output;
    }
}
