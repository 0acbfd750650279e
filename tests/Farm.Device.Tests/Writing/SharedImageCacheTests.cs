using System.Security.Cryptography;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>The shared image cache: one disk read for many drives, a bounded ring, laggards and late joiners on their own reads.</summary>
public sealed class SharedImageCacheTests : IDisposable
{
    private const int Chunk = 64 * 1024;
    private readonly TempDirectory _folder = new("farm-shared");

    public void Dispose() => _folder.Dispose();

    private static async Task<byte[]> ReadAllAsync(ISectorSource cursor)
    {
        using var all = new MemoryStream();
        while (await cursor.NextAsync(CancellationToken.None) is { IsEmpty: false } chunk)
        {
            all.Write(chunk.Span);
        }

        return all.ToArray();
    }

    [Fact]
    public async Task Thirty_two_cursors_in_step_read_the_image_from_disk_once()
    {
        var image = WritingKit.Image(_folder, blocks: 4096);
        var expected = await File.ReadAllBytesAsync(image.Path);
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 16 * Chunk, ChunkBytes = Chunk });
        var cursors = Enumerable.Range(0, 32).Select(_ => cache.OpenCursor(image)).ToList();
        var hashes = cursors.Select(_ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).ToList();

        for (var done = false; !done;)
        {
            for (var i = 0; i < cursors.Count; i++)
            {
                var chunk = await cursors[i].NextAsync(CancellationToken.None);
                done = chunk.IsEmpty;
                hashes[i].AppendData(chunk.Span);
            }
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(expected));
        Assert.All(hashes, h => Assert.Equal(sha, Convert.ToHexStringLower(h.GetHashAndReset())));
        Assert.Equal(expected.Length, cache.DiskBytesRead.Total);
        Assert.Equal(sha, await cursors[0].GetSha256Async(CancellationToken.None));
        foreach (var cursor in cursors)
        {
            await cursor.DisposeAsync();
        }

        hashes.ForEach(h => h.Dispose());
    }

    [Fact]
    public async Task An_image_rewritten_at_the_same_path_is_another_image_and_is_not_served_from_the_old_ring()
    {
        var old = WritingKit.Image(_folder, blocks: 64, seed: 1);
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 16 * Chunk, ChunkBytes = Chunk });
        await using var first = cache.OpenCursor(old);
        Assert.Equal(await File.ReadAllBytesAsync(old.Path), await ReadAllAsync(first));

        // The same path and size, new content and a later modification time, while the old ring is still open.
        var bytes = new byte[64 * 2048];
        new Random(2).NextBytes(bytes);
        await File.WriteAllBytesAsync(old.Path, bytes);
        File.SetLastWriteTimeUtc(old.Path, old.LastWriteUtc.AddSeconds(5));
        var rewritten = ImageSource.Open(old.Path);
        await using var second = cache.OpenCursor(rewritten);

        Assert.Equal(bytes, await ReadAllAsync(second));
        Assert.Equal(2L * bytes.Length, cache.DiskBytesRead.Total);
        Assert.Equal(bytes.Length, cache.ReadsOf(rewritten)!.DiskBytes);
        Assert.Equal(bytes.Length, cache.ReadsOf(old)!.DiskBytes);
    }

    [Fact]
    public async Task Reserved_rings_are_allocated_with_the_cache_and_serve_one_image_after_another_without_a_new_allocation()
    {
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 16 * Chunk, ChunkBytes = Chunk, ReservedRings = 1 });
        Assert.Equal(1, cache.RingsAllocated);

        // Larger than the ring, then smaller: both take the reserved ring, returned by the last cursor of each.
        foreach (var image in new[] { WritingKit.Image(_folder, blocks: 1024, seed: 1), WritingKit.Image(_folder, blocks: 64, seed: 2) })
        {
            var expected = await File.ReadAllBytesAsync(image.Path);
            var cursors = new[] { cache.OpenCursor(image), cache.OpenCursor(image) };
            foreach (var cursor in cursors)
            {
                Assert.Equal(expected, await ReadAllAsync(cursor));
                await cursor.DisposeAsync();
            }
        }

        Assert.Equal(1, cache.RingsAllocated);
    }

    [Fact]
    public async Task Two_images_burned_at_once_take_a_second_ring_and_the_pool_keeps_only_the_reserved_count()
    {
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 16 * Chunk, ChunkBytes = Chunk, ReservedRings = 1 });
        var first = cache.OpenCursor(WritingKit.Image(_folder, blocks: 1024, seed: 1));
        var second = cache.OpenCursor(WritingKit.Image(_folder, blocks: 1024, seed: 2));
        await first.NextAsync(CancellationToken.None);
        await second.NextAsync(CancellationToken.None);
        Assert.Equal(2, cache.RingsAllocated);

        await ReadAllAsync(first);
        await ReadAllAsync(second);
        await first.DisposeAsync();
        await second.DisposeAsync();

        // One ring is kept for the next image; the other goes to the collector.
        var third = cache.OpenCursor(WritingKit.Image(_folder, blocks: 1024, seed: 3));
        await ReadAllAsync(third);
        await third.DisposeAsync();
        Assert.Equal(2, cache.RingsAllocated);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65)]
    public void A_reserved_ring_count_out_of_range_is_refused_with_the_range(int reserved)
    {
        var refused = Assert.Throws<ArgumentException>(() => new SharedImageCache(new SharedImageOptions { ReservedRings = reserved }));
        Assert.Contains("ReservedRings must be between 0 and 64", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_figures_of_an_image_count_its_disk_bytes_and_drives_over_every_ring_of_it()
    {
        var image = WritingKit.Image(_folder, blocks: 64);
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 16 * Chunk, ChunkBytes = Chunk });
        for (var burn = 0; burn < 2; burn++)
        {
            var cursors = new[] { cache.OpenCursor(image), cache.OpenCursor(image) };
            foreach (var cursor in cursors)
            {
                await ReadAllAsync(cursor);
                await cursor.DisposeAsync();
            }
        }

        var reads = Assert.Single(cache.Images);
        Assert.Equal(new ImageReads(image.Path, image.Length, image.LastWriteUtc, 2 * image.Length, Drives: 4, Detached: 0, Reads: 2, Active: 0), reads);
    }

    [Fact]
    public async Task A_cursor_opened_after_the_ring_moved_on_reads_the_image_from_disk_itself()
    {
        var image = WritingKit.Image(_folder, blocks: 512);
        var expected = await File.ReadAllBytesAsync(image.Path);
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 4 * Chunk, ChunkBytes = Chunk, DetachedFifoBytes = 4 * Chunk });
        await using var first = cache.OpenCursor(image);
        Assert.Equal(expected, await ReadAllAsync(first));

        await using var late = cache.OpenCursor(image);

        Assert.Equal(expected, await ReadAllAsync(late));
        Assert.Equal(2L * expected.Length, cache.DiskBytesRead.Total);
    }

    [Fact]
    public async Task A_cursor_a_whole_ring_behind_is_detached_after_the_grace_so_it_does_not_hold_the_others_back()
    {
        var image = WritingKit.Image(_folder, blocks: 512);
        var expected = await File.ReadAllBytesAsync(image.Path);
        var clock = new ManualTimeProvider();
        var options = new SharedImageOptions { RingBytes = 4 * Chunk, ChunkBytes = Chunk, DetachedFifoBytes = 4 * Chunk, DetachAfter = TimeSpan.FromMilliseconds(20) };
        await using var cache = new SharedImageCache(options, time: clock);
        await using var fast = cache.OpenCursor(image);
        await using var stalled = cache.OpenCursor(image);

        var fastRead = ReadAllAsync(fast);
        await clock.WaitForArmedTimersAsync(1, CancellationToken.None);
        Assert.False(fastRead.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        var fastBytes = await fastRead;
        var stalledBytes = await ReadAllAsync(stalled);

        Assert.Equal(expected, fastBytes);
        Assert.Equal(expected, stalledBytes);
        Assert.Equal(2L * expected.Length, cache.DiskBytesRead.Total);
    }

    [Fact]
    public async Task Before_the_grace_a_full_ring_waits_for_the_slowest_cursor()
    {
        var image = WritingKit.Image(_folder, blocks: 512);
        var clock = new ManualTimeProvider();
        var options = new SharedImageOptions { RingBytes = 4 * Chunk, ChunkBytes = Chunk, DetachAfter = TimeSpan.FromMilliseconds(20) };
        await using var cache = new SharedImageCache(options, time: clock);
        await using var fast = cache.OpenCursor(image);
        await using var slow = cache.OpenCursor(image);

        var fastRead = ReadAllAsync(fast);
        await clock.WaitForArmedTimersAsync(1, CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(19));
        for (var i = 0; i < 16; i++)
        {
            Assert.False((await slow.NextAsync(CancellationToken.None)).IsEmpty);
        }

        await fastRead;
        Assert.True((await slow.NextAsync(CancellationToken.None)).IsEmpty);
        Assert.Equal(image.Length, cache.DiskBytesRead.Total);
    }

    [Fact]
    public async Task Eight_drives_burning_one_image_at_once_read_it_from_disk_once_and_all_verify()
    {
        var image = WritingKit.Image(_folder, blocks: 2048);
        await using var cache = new SharedImageCache(new SharedImageOptions { RingBytes = 8 * 1024 * 1024, ChunkBytes = Chunk });
        var drives = Enumerable.Range(0, 8).Select(_ => WritingKit.DriveWith(Profile.BdRSequential, out SimulatedDisc _)).ToList();

        var burns = drives.Select(async drive =>
        {
            var mmc = WritingKit.MmcOf(drive);
            var writer = new DataWriter(mmc);
            await using var cursor = cache.OpenCursor(image);
            var written = await writer.WriteAsync(cursor, image.Blocks, null, CancellationToken.None);
            return await Verifier.ReadBackAsync(mmc, written.StartLba, written.Blocks, written.ImageSha256, CancellationToken.None);
        });
        var verified = await Task.WhenAll(burns);

        Assert.All(verified, v => Assert.True(v.Matches));
        Assert.Equal(image.Length, cache.DiskBytesRead.Total);
        foreach (var drive in drives)
        {
            await drive.DisposeAsync();
        }
    }
}
