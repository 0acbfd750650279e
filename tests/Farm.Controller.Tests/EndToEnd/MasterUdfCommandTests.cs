using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// `farm master --udf` and `--filesystem udf|bridge` as a user runs them: a separate process,
/// its output and exit code, the image udfinfo, 7-Zip and xorriso read back.
/// </summary>
public sealed class MasterUdfCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new("farm-master-udf-cli");
    private readonly string _source;
    private readonly byte[] _data = new byte[2 * 1024 * 1024];

    public MasterUdfCommandTests()
    {
        _source = _folder.PathOf("disc");
        Directory.CreateDirectory(Path.Combine(_source, "sub dir", "déjà"));
        Directory.CreateDirectory(Path.Combine(_source, "empty"));
        new Random(11).NextBytes(_data);
        File.WriteAllBytes(Path.Combine(_source, "sub dir", "déjà", "a.bin"), _data);
        File.WriteAllText(Path.Combine(_source, "b.txt"), "hello\n");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Udf_prints_the_format_and_writes_an_image_udfinfo_and_7zip_read()
    {
        var image = _folder.PathOf("disc.udf");

        var result = await FarmCli.RunAsync(MasterCommandTests.Patience, "master", _source, "-o", image, "--udf", "--volume-id", "Mes Données");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("as volume Mes Données (UDF 1.02)", result.Output, StringComparison.Ordinal);
        var info = await MasterCommandTests.RunAsync("udfinfo", image);
        Assert.Contains("udfrev=1.02\n", info, StringComparison.Ordinal);
        Assert.Contains("label=Mes Données\n", info, StringComparison.Ordinal);
        var extracted = _folder.PathOf("out");
        var listing = await MasterCommandTests.RunAsync("7zz", "l", image);
        await MasterCommandTests.RunAsync("7zz", "x", "-y", $"-o{extracted}", image);
        Assert.Contains("Type = Udf", listing, StringComparison.Ordinal);
        Assert.Equal(_data, await File.ReadAllBytesAsync(Path.Combine(extracted, "sub dir", "déjà", "a.bin")));
        Assert.True(Directory.Exists(Path.Combine(extracted, "empty")));
    }

    [Fact]
    public async Task The_bridge_at_revision_2_01_is_read_by_udfinfo_and_by_xorriso()
    {
        var image = _folder.PathOf("disc.iso");

        var result = await FarmCli.RunAsync(MasterCommandTests.Patience, "master", _source, "-o", image, "--filesystem", "bridge", "--udf-revision", "2.01");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("(UDF 2.01 + ISO 9660 + Joliet)", result.Output, StringComparison.Ordinal);
        Assert.Contains("udfrev=2.01\n", await MasterCommandTests.RunAsync("udfinfo", image), StringComparison.Ordinal);
        var extracted = _folder.PathOf("iso");
        await MasterCommandTests.RunAsync("xorriso", "-osirrox", "on", "-indev", image, "-extract", "/", extracted);
        Assert.Equal(_data, await File.ReadAllBytesAsync(Path.Combine(extracted, "sub dir", "déjà", "a.bin")));
    }

    [Theory]
    [InlineData("--udf --filesystem iso-joliet", "--udf masters UDF alone and contradicts --filesystem iso-joliet; give one of them")]
    [InlineData("--filesystem hfs", "--filesystem 'hfs' is not known; use iso-joliet, udf or bridge")]
    [InlineData("--udf-revision 2.60", "--udf-revision '2.60' is not one this build writes; use 1.02, 2.01 or 2.50")]
    [InlineData("--filesystem iso-joliet --udf-revision 2.01", "--udf-revision applies to UDF; add --udf or --filesystem udf|bridge, or drop it")]
    public async Task Contradictory_or_unknown_file_system_options_exit_2_saying_what_to_write(string options, string message)
    {
        var image = _folder.PathOf("bad.udf");

        var result = await FarmCli.RunAsync(MasterCommandTests.Patience, ["master", _source, "-o", image, .. options.Split(' ')]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"farm master: {message}", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(image));
    }
}
