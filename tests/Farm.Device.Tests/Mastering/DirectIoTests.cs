using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Device.Transports.Linux;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// farm master's direct I/O: large source files are read, and the image file written, straight
/// between the disk and the sector source's aligned buffers; whatever the alignment rules refuse
/// (a file's last bytes, an unaligned buffer) goes through the page cache, and the bytes are the
/// same either way.
/// </summary>
public sealed class DirectIoTests : IDisposable
{
    private const int Mebibyte = 1024 * 1024;
    private static readonly DateTimeOffset When = new(2024, 5, 17, 12, 34, 56, TimeSpan.Zero);

    // Under the test's own folder, on the file system the repository is on (a disk); the system's
    // temporary folder may be a file system that refuses O_DIRECT.
    private readonly string _diskFolder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"farm-direct-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_diskFolder, recursive: true);

    /// <summary>What direct I/O needs on the test folder's file system; the tests mean nothing without it.</summary>
    private LinuxNative.DirectAlignment Alignment()
    {
        var probe = Path.Combine(_diskFolder, "probe");
        File.WriteAllBytes(probe, new byte[4096]);
        var fd = LinuxNative.OpenRead(probe, out var errno);
        Assert.True(fd >= 0, $"cannot open {probe}: errno {errno}");
        try
        {
            return LinuxNative.TryDirect(fd)
                ?? throw new InvalidOperationException($"{_diskFolder}: its file system offers no direct I/O (Linux 6.1+ on ext4, xfs or btrfs does); these tests need it");
        }
        finally
        {
            _ = LinuxNative.Close(fd);
        }
    }

    private byte[] RandomFile(string name, int bytes, out string path)
    {
        var data = new byte[bytes];
        new Random(bytes).NextBytes(data);
        path = Path.Combine(_diskFolder, name);
        File.WriteAllBytes(path, data);
        return data;
    }

    /// <summary>A pinned buffer and where its 4 KiB-aligned part starts, as the sector source's chunks are.</summary>
    private static unsafe (byte[] Buffer, int Start) AlignedBuffer(int bytes)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(bytes + 4096, pinned: true);
        fixed (byte* first = buffer)
        {
            var misalignment = (int)((nuint)first % 4096);
            return (buffer, misalignment == 0 ? 0 : 4096 - misalignment);
        }
    }

    [Fact]
    public void A_large_file_whose_size_is_not_a_multiple_of_4096_reads_back_whole_with_direct_io_its_short_end_included()
    {
        _ = Alignment();
        var size = (5 * Mebibyte) + 123;
        var expected = RandomFile("odd.bin", size, out var path);
        var root = new IsoDirectory(_diskFolder, "root", When, parent: null);
        var file = new IsoFile(path, "odd.bin", When, size, root);
        var (buffer, start) = AlignedBuffer(Mebibyte);
        using var sources = new SourceFiles([file]);
        using var source = sources.Open(file);

        var got = new List<byte>();
        int read;
        while ((read = source.Read(buffer.AsSpan(start, Mebibyte))) > 0)
        {
            got.AddRange(buffer.AsSpan(start, read));
        }

        Assert.Equal(expected, got);
        Assert.Equal(size, source.DirectBytes);
    }

    [Fact]
    public void A_small_file_is_read_through_the_page_cache()
    {
        var expected = RandomFile("small.bin", 40_000, out var path);
        var root = new IsoDirectory(_diskFolder, "root", When, parent: null);
        var file = new IsoFile(path, "small.bin", When, expected.Length, root);
        var (buffer, start) = AlignedBuffer(Mebibyte);
        using var sources = new SourceFiles([file]);
        using var source = sources.Open(file);

        var read = source.Read(buffer.AsSpan(start, Mebibyte));

        Assert.Equal(expected, buffer.AsSpan(start, read).ToArray());
        Assert.Equal(0, source.DirectBytes);
    }

    [Fact]
    public async Task An_image_read_direct_through_the_sector_source_is_byte_for_byte_the_one_read_through_the_page_cache()
    {
        using var tree = new SampleTree(bigFileBytes: (9 * Mebibyte) + 2048 + 77);
        var plan = IsoImagePlan.Create(tree.Root, IsoMasteringOptions.Default);
        using var buffered = new MemoryStream();
        await plan.WriteAsync(buffered, CancellationToken.None);

        using var direct = new MemoryStream();
        await using (var source = plan.OpenSectorSource())
        {
            while (await source.NextAsync(CancellationToken.None) is { IsEmpty: false } chunk)
            {
                direct.Write(chunk.Span);
            }
        }

        Assert.Equal(buffered.ToArray(), direct.ToArray());
    }

    [Fact]
    public async Task A_file_that_grew_is_an_error_naming_it_when_read_direct()
    {
        using var tree = new SampleTree(bigFileBytes: 6 * Mebibyte);
        var big = Path.Combine(tree.Root, "data", "big.dat");
        var plan = IsoImagePlan.Create(tree.Root, IsoMasteringOptions.Default);
        await File.AppendAllTextAsync(big, "more");

        var error = await Assert.ThrowsAsync<DeviceException>(async () =>
        {
            await using var source = plan.OpenSectorSource();
            while (!(await source.NextAsync(CancellationToken.None)).IsEmpty)
            {
            }
        });

        Assert.StartsWith($"file 'data/big.dat' ({big}) is now 6,291,460 bytes since the image was planned", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_file_is_written_direct_and_its_unaligned_tail_through_the_page_cache()
    {
        var alignment = Alignment();
        var (buffer, start) = AlignedBuffer(Mebibyte);
        new Random(7).NextBytes(buffer);
        var path = Path.Combine(_diskFolder, "image.iso");

        long direct;
        using (var file = ImageOutputFile.Create(path))
        {
            file.Write(buffer.AsSpan(start, Mebibyte));
            file.Write(buffer.AsSpan(start, 2048));
            file.Write(buffer.AsSpan(start, 100)); // not a multiple of any alignment
            file.Write(buffer.AsSpan(start, 4096)); // aligned again, but the file stays buffered
            direct = file.DirectBytes;
        }

        var expected = buffer.AsSpan(start, Mebibyte).ToArray()
            .Concat(buffer.AsSpan(start, 2048).ToArray())
            .Concat(buffer.AsSpan(start, 100).ToArray())
            .Concat(buffer.AsSpan(start, 4096).ToArray());
        Assert.Equal(expected, File.ReadAllBytes(path));
        Assert.Equal(Mebibyte + (2048 % alignment.Offset == 0 ? 2048 : 0), direct);
    }

    [Fact]
    public void An_image_file_written_from_an_unaligned_buffer_goes_through_the_page_cache()
    {
        _ = Alignment();
        var (buffer, start) = AlignedBuffer(Mebibyte);
        new Random(8).NextBytes(buffer);
        var path = Path.Combine(_diskFolder, "unaligned.iso");

        long direct;
        using (var file = ImageOutputFile.Create(path))
        {
            file.Write(buffer.AsSpan(start + 1, Mebibyte - 4096));
            direct = file.DirectBytes;
        }

        Assert.Equal(buffer.AsSpan(start + 1, Mebibyte - 4096).ToArray(), File.ReadAllBytes(path));
        Assert.Equal(0, direct);
    }
}
