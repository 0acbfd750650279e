using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>`farm demo` as a user runs it: a separate process, its output and its exit code.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _folder = new("farm-demo");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Demo_burns_the_sample_job_and_exits_zero_when_done()
    {
        var result = await FarmCli.RunAsync(Patience, "demo", "--data", _folder.FullPath, "--copies", "3", "--drives", "2", "--time-scale", "500", "--port", FarmCli.FreePort().ToString(), "--exit-when-done");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Matches(@"job \S+: 3/3 copies verified, 0 rejected", result.Output);
        Assert.Equal(3, result.Output.Split('\n').Count(l => l.StartsWith("disc ", StringComparison.Ordinal) && l.Contains("verified sha256", StringComparison.Ordinal)));
        Assert.True(File.Exists(_folder.PathOf("farm.db")) && File.Exists(_folder.PathOf("node.db")), "the demo keeps the controller's and the node's journals in its --data folder");
        Assert.Matches(@"console: http://127\.0\.0\.1:\d+", result.Output);
        var report = System.Text.RegularExpressions.Regex.Match(result.Output, @"report: (\S+report-\S+\.html)").Groups[1].Value;
        Assert.True(File.Exists(report), $"the demo writes its job's report into its data folder: {result.Output}");
        var html = await File.ReadAllTextAsync(report);
        Assert.Equal(3, html.Split("<td class=\"verified\">verified</td>").Length - 1);
        Assert.Equal(3, html.Split("<polyline").Length - 1);
    }

    [Fact]
    public async Task A_bad_auth_file_stops_the_demo_with_exit_2_saying_what_is_wrong()
    {
        var auth = _folder.PathOf("auth.json");
        await File.WriteAllTextAsync(auth, """{"tokens":[{"name":"ops","role":"boss","token":"t"}]}""");

        var result = await FarmCli.RunAsync(Patience, "demo", "--data", _folder.FullPath, "--auth", auth, "--exit-when-done");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--auth {auth}: tokens[0] ('ops') has role 'boss'; the roles are viewer, submitter, operator, admin", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_image_is_refused_with_its_path()
    {
        var missing = _folder.PathOf("nope.iso");

        var result = await FarmCli.RunAsync(Patience, "demo", "--data", _folder.FullPath, "--image", missing, "--exit-when-done");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"image '{missing}' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_that_is_not_whole_sectors_is_refused_with_the_imapi2_error()
    {
        var odd = _folder.PathOf("odd.iso");
        await File.WriteAllBytesAsync(odd, new byte[(2048 * 3) + 100]);

        var result = await FarmCli.RunAsync(Patience, "demo", "--data", _folder.FullPath, "--image", odd, "--exit-when-done");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (0xC0AA0403)", result.Error, StringComparison.Ordinal);
        Assert.Contains("not a positive multiple of 2048", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Zero_copies_is_refused()
    {
        var result = await FarmCli.RunAsync(Patience, "demo", "--data", _folder.FullPath, "--copies", "0", "--exit-when-done");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--copies must be at least 1, not 0", result.Error, StringComparison.Ordinal);
    }
}
