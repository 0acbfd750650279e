using Farm.Controller.Api;
using Farm.Controller.HotFolder;
using Farm.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.HotFolder;

/// <summary>
/// A .JRQ still being written is not taken: the watcher waits until the file kept its size and time
/// for the settle time (on a manual clock here), and takes it whole. The file used is one the farm
/// refuses anyway, so what it was read as shows in NAME.STATUS without a farm behind the watcher.
/// </summary>
public sealed class HotFolderSettleTests : IDisposable
{
    private readonly TempDirectory _folder = new("hot-settle");
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 13, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().BuildServiceProvider();
    private readonly HotFolderWatcher _watcher;

    public HotFolderSettleTests() =>
        _watcher = new HotFolderWatcher(
            new HotFolderOptions { Folder = _folder.FullPath, SettleTime = TimeSpan.FromSeconds(2) }.Validate(),
            new FarmControllerGateway(_services, new FarmApiOptions()),
            _time,
            NullLogger<HotFolderWatcher>.Instance);

    public void Dispose()
    {
        _watcher.Dispose();
        _services.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_file_that_keeps_growing_is_left_alone_until_it_settles_then_read_whole()
    {
        var path = _folder.PathOf("order.JRQ");
        await File.AppendAllTextAsync(path, "ImageFile=/nowhere/a.iso\nCopies=");
        await _watcher.ScanAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await File.AppendAllTextAsync(path, "1");
        await _watcher.ScanAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1.5));
        await _watcher.ScanAsync(CancellationToken.None);

        Assert.True(File.Exists(path), "a file that changed 1.5 s ago was taken");
        await File.AppendAllTextAsync(path, "2\n");
        _time.Advance(TimeSpan.FromSeconds(1.9));
        await _watcher.ScanAsync(CancellationToken.None);
        Assert.True(File.Exists(path), "a file that changed 1.9 s ago was taken");

        _time.Advance(TimeSpan.FromSeconds(2));
        await _watcher.ScanAsync(CancellationToken.None);

        Assert.False(File.Exists(path));
        Assert.True(File.Exists(_folder.PathOf("order.ERR")));
        var status = _folder.PathOf("order.STATUS");
        Assert.Equal(["12"], HotFolderStatus.ReadValues(status, "Copies"));
        Assert.Contains("/nowhere/a.iso", Assert.Single(HotFolderStatus.ReadValues(status, "Error")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_a_writer_still_holds_open_is_not_taken_however_long_it_stays_unchanged()
    {
        var path = _folder.PathOf("order.JRQ");
        await using (var writer = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            await writer.WriteAsync("ImageFile=/nowhere/a.iso\nCopies="u8.ToArray());
            await writer.FlushAsync();
            await _watcher.ScanAsync(CancellationToken.None);
            _time.Advance(TimeSpan.FromMinutes(5));
            await _watcher.ScanAsync(CancellationToken.None);

            Assert.True(File.Exists(path), "a file still open for writing was taken");
            await writer.WriteAsync("3\n"u8.ToArray());
        }

        await _watcher.ScanAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        await _watcher.ScanAsync(CancellationToken.None);

        Assert.True(File.Exists(_folder.PathOf("order.ERR")));
        Assert.Equal(["3"], HotFolderStatus.ReadValues(_folder.PathOf("order.STATUS"), "Copies"));
    }

    [Fact]
    public async Task A_malformed_file_ends_ERR_with_its_line_and_reason()
    {
        await File.WriteAllTextAsync(_folder.PathOf("bad.JRQ"), "ImageFile=/srv/a.iso\nCopies=many\n");
        await _watcher.ScanAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));

        await _watcher.ScanAsync(CancellationToken.None);

        Assert.True(File.Exists(_folder.PathOf("bad.ERR")));
        Assert.Equal(["line 2: Copies takes a whole number from 1 to 10000, not 'many'"], HotFolderStatus.ReadValues(_folder.PathOf("bad.STATUS"), "Error"));
        Assert.Equal(["ERR"], HotFolderStatus.ReadValues(_folder.PathOf("bad.STATUS"), "State"));
    }
}
