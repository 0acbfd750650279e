using System.Security.Cryptography;
using Farm.Device.Writing;

namespace Farm.Device.Tests.Writing;

/// <summary>
/// The write pipeline's reader: direct I/O for image files where the system allows it, the
/// page cache otherwise, and a hash stage between the reader and the drive; the bytes and the
/// hash the drive gets are the file's either way.
/// </summary>
public sealed class StreamSectorSourceTests : IDisposable
{
    private const int Chunk = 64 * 1024;

    // Under the test's own folder, on the file system the repository is on (a disk); the system's
    // temporary folder may be a file system that refuses O_DIRECT.
    private readonly string _diskFolder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"farm-source-{Guid.NewGuid():N}")).FullName;

    public void Dispose()
    {
        Directory.Delete(_diskFolder, recursive: true);
    }

    private static async Task<byte[]> ReadAllAsync(StreamSectorSource source)
    {
        using var all = new MemoryStream();
        while (await source.NextAsync(CancellationToken.None) is { IsEmpty: false } chunk)
        {
            all.Write(chunk.Span);
        }

        return all.ToArray();
    }

    private ImageSource DiskImage(int blocks)
    {
        var bytes = new byte[blocks * 2048];
        new Random(blocks).NextBytes(bytes);
        var path = Path.Combine(_diskFolder, $"image-{blocks}.iso");
        File.WriteAllBytes(path, bytes);
        return ImageSource.Open(path);
    }

    [Fact]
    public async Task An_image_on_a_disk_is_read_direct_and_delivers_every_byte_and_their_hash_even_when_it_ends_in_half_a_4_KiB_unit()
    {
        var image = DiskImage(blocks: 1001);
        var expected = await File.ReadAllBytesAsync(image.Path);
        await using var source = StreamSectorSource.OpenImage(image, 0, image.Length, Chunk, 16 * Chunk);

        var read = await ReadAllAsync(source);

        Assert.True(source.ReadsDirect, $"{image.Path} is on a disk file system; it should be read with O_DIRECT");
        Assert.Equal(expected, read);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), await source.GetSha256Async(CancellationToken.None));
    }

    [Fact]
    public async Task A_section_from_a_4_KiB_offset_is_read_direct_and_delivers_only_its_own_bytes()
    {
        var image = DiskImage(blocks: 1000);
        var expected = (await File.ReadAllBytesAsync(image.Path)).AsSpan(3 * 4096, 301 * 2048).ToArray();
        await using var source = StreamSectorSource.OpenImage(image, 3 * 4096, 301 * 2048, Chunk, 4 * Chunk);

        var read = await ReadAllAsync(source);

        Assert.True(source.ReadsDirect);
        Assert.Equal(expected, read);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), await source.GetSha256Async(CancellationToken.None));
    }

    [Fact]
    public async Task A_section_from_an_offset_that_is_not_a_multiple_of_4_KiB_is_read_through_the_page_cache()
    {
        var image = DiskImage(blocks: 300);
        var expected = (await File.ReadAllBytesAsync(image.Path)).AsSpan(2048).ToArray();
        await using var source = StreamSectorSource.OpenImage(image, 2048, image.Length - 2048, Chunk, 4 * Chunk);

        var read = await ReadAllAsync(source);

        Assert.False(source.ReadsDirect);
        Assert.Equal(expected, read);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), await source.GetSha256Async(CancellationToken.None));
    }

    [Fact]
    public async Task A_read_failure_reaches_the_drive_through_the_hash_stage()
    {
        var stream = new FailingStream(failAfter: 3 * Chunk);
        await using var source = new StreamSectorSource(stream, 10 * Chunk, Chunk, 4 * Chunk, ownsStream: true);

        var failure = await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(source));

        Assert.Equal("the disk failed", failure.Message);
    }

    /// <summary>A stream of zeros that fails with an I/O error once it has given <c>failAfter</c> bytes.</summary>
    private sealed class FailingStream(int failAfter) : Stream
    {
        private int _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _given; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= failAfter)
            {
                throw new IOException("the disk failed");
            }

            var n = Math.Min(count, failAfter - _given);
            Array.Clear(buffer, offset, n);
            _given += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
