using System.Text.RegularExpressions;
using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>`farm burn FOLDER --append` as a user runs it, on a simulated disc that already holds a session; the saved disc read by xorriso.</summary>
public sealed class AppendCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _folder = new("farm-append-cli");

    public void Dispose() => _folder.Dispose();

    private string Tree(string name, params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            var full = _folder.PathOf(Path.Combine(name, path));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return _folder.PathOf(name);
    }

    [Fact]
    public async Task A_folder_appended_to_a_disc_with_a_session_reads_back_with_old_and_new_files_in_xorriso()
    {
        var first = Tree("first", ("keep.txt", "kept\n"), ("docs/a.txt", "old\n"));
        var second = Tree("second", ("new.txt", "new\n"), ("docs/a.txt", "replaced\n"));
        var image = _folder.PathOf("first.iso");
        var disc = _folder.PathOf("disc.img");
        var mastered = await FarmCli.RunAsync(Patience, "master", first, "-o", image);
        Assert.True(mastered.ExitCode == 0, mastered.Output + mastered.Error);

        var result = await FarmCli.RunAsync(Patience, "burn", second, "--append", "--simulate", "DVD+R", "--existing-session", image, "--save-disc", disc, "--time-scale", "1000");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("1 files added, 1 replaced, 1 kept at their old extents", result.Output, StringComparison.Ordinal);
        Assert.Contains("verify full: OK", result.Output, StringComparison.Ordinal);
        var start = Regex.Match(result.Output, @"its last session starts at LBA (\d+)").Groups[1].Value;
        var listing = await XorrisoAsync("-indev", disc, "-load", "sbsector", start, "-find", "/", "-type", "f");
        Assert.Contains("'/keep.txt'", listing, StringComparison.Ordinal);
        Assert.Contains("'/new.txt'", listing, StringComparison.Ordinal);
        Assert.Contains("'/docs/a.txt'", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Append_with_an_image_instead_of_a_folder_says_to_give_the_folder()
    {
        var image = _folder.PathOf("x.iso");
        File.WriteAllBytes(image, new byte[2048]);

        var result = await FarmCli.RunAsync(Patience, "burn", image, "--append", "--simulate", "CD-R");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a folder", result.Error, StringComparison.Ordinal);
    }

    private static Task<string> XorrisoAsync(params string[] arguments) => Xorriso.RunAsync(Patience, arguments);
}
