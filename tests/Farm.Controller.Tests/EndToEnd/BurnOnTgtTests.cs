using Farm.Testing;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// `farm burn --drive iscsi://...` against Debian's tgt emulating a DVD+R writer: a SCSI target
/// nobody here wrote, reached through the system's libiscsi. tgt is started by scripts/tgt/start.sh
/// (root; installs tgt if missing) and stopped after; if it cannot start, the test fails.
/// </summary>
public sealed class BurnOnTgtTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _folder = new("farm-tgt");
    private TgtTarget? _tgt;
    private string _dvdUrl = "";
    private string _dvdBacking = "";

    public async Task InitializeAsync()
    {
        _tgt = await TgtTarget.StartAsync(_folder.PathOf("tgt"), control: 19);
        _dvdUrl = _tgt["TGT_DVD_URL"];
        _dvdBacking = _tgt["TGT_DVD_BACKING"];
    }

    public async Task DisposeAsync()
    {
        if (_tgt is not null)
        {
            await _tgt.DisposeAsync();
        }
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Farm_burn_writes_an_image_to_a_tgt_dvd_writer_over_iscsi_and_verifies_it()
    {
        var image = _folder.PathOf("image.iso");
        var bytes = new byte[2 * 1024 * 1024];
        new Random(11).NextBytes(bytes);
        await File.WriteAllBytesAsync(image, bytes);

        var result = await FarmCli.RunAsync(TimeSpan.FromMinutes(2), "burn", image, "--drive", _dvdUrl, "--verify", "full");

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("verify full: OK (1,024 blocks read back", result.Output, StringComparison.Ordinal);
        var disc = await File.ReadAllBytesAsync(_dvdBacking);
        Assert.Equal(bytes, disc.AsSpan(0, bytes.Length).ToArray());
    }

    [Fact]
    public async Task Farm_burn_names_the_accepted_device_forms_for_an_unknown_one()
    {
        var image = _folder.PathOf("small.iso");
        await File.WriteAllBytesAsync(image, new byte[2048]);

        var result = await FarmCli.RunAsync(TimeSpan.FromMinutes(1), "burn", image, "--drive", "floppy:0");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("iscsi://", result.Error + result.Output, StringComparison.Ordinal);
    }
}
