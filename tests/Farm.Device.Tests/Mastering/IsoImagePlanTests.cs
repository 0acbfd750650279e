using System.Security.Cryptography;
using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>The plan's promises: its block count is the written size, its sector source delivers the same bytes, and the output is deterministic.</summary>
public sealed class IsoImagePlanTests : IDisposable
{
    private static readonly IsoMasteringOptions Options = new() { VolumeId = "TEST", VolumeCreated = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero) };
    private readonly SampleTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static async Task<byte[]> ImageAsync(IsoImagePlan plan)
    {
        using var memory = new MemoryStream();
        await plan.WriteAsync(memory, CancellationToken.None);
        return memory.ToArray();
    }

    [Fact]
    public async Task The_planned_block_count_is_the_size_written()
    {
        var plan = IsoImagePlan.Create(_tree.Root, Options);

        var image = await ImageAsync(plan);

        Assert.Equal(plan.Blocks * 2048, image.Length);
        Assert.Equal(plan.Bytes, image.Length);
        Assert.Equal(10, plan.FileCount);
        Assert.Equal(7, plan.DirectoryCount);
    }

    [Fact]
    public async Task The_sector_source_delivers_the_same_bytes_and_sha256_as_the_written_image()
    {
        var plan = IsoImagePlan.Create(_tree.Root, Options);
        var image = await ImageAsync(plan);

        using var delivered = new MemoryStream();
        await using var source = plan.OpenSectorSource(chunkBytes: 64 * 1024, fifoBytes: 256 * 1024);
        for (var chunk = await source.NextAsync(CancellationToken.None); !chunk.IsEmpty; chunk = await source.NextAsync(CancellationToken.None))
        {
            Assert.Equal(0, chunk.Length % 2048);
            delivered.Write(chunk.Span);
        }

        Assert.True(image.AsSpan().SequenceEqual(delivered.ToArray()));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), await source.GetSha256Async(CancellationToken.None));
    }

    [Fact]
    public async Task Two_runs_on_the_same_folder_give_the_same_bytes()
    {
        var first = await ImageAsync(IsoImagePlan.Create(_tree.Root, Options));
        var second = await ImageAsync(IsoImagePlan.Create(_tree.Root, Options));

        Assert.True(first.AsSpan().SequenceEqual(second));
    }

    [Fact]
    public void Without_a_volume_time_the_newest_modification_time_is_used_and_the_folder_name_is_the_label()
    {
        var plan = IsoImagePlan.Create(_tree.Root, new IsoMasteringOptions());

        Assert.Equal(new DateTimeOffset(2024, 5, 17, 12, 34, 56, TimeSpan.Zero), plan.VolumeCreated);
        Assert.Equal("RELEASE_1_0", plan.VolumeId);
        Assert.Equal("Release 1.0", plan.JolietVolumeId);
    }

    [Fact]
    public async Task Each_file_starts_on_a_block_and_its_data_is_where_the_records_say()
    {
        var plan = IsoImagePlan.Create(_tree.Root, Options);
        var image = await ImageAsync(plan);
        var big = await File.ReadAllBytesAsync(Path.Combine(_tree.Root, "data", "big.dat"));

        // The first 64 bytes of big.dat occur once, at a block boundary.
        var at = image.AsSpan().IndexOf(big.AsSpan(0, 64));

        Assert.Equal(0, at % 2048);
        Assert.True(image.AsSpan(at, big.Length).SequenceEqual(big));
        Assert.All(image.AsSpan(at + big.Length, (2048 - (big.Length % 2048)) % 2048).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void An_empty_folder_masters_to_the_descriptors_path_tables_and_two_root_extents()
    {
        using var empty = new Farm.Testing.TempDirectory("farm-master-empty");

        var plan = IsoImagePlan.Create(empty.FullPath, Options);

        // 16 system + PVD + SVD + terminator + 4 path tables + 2 root extents.
        Assert.Equal(16 + 3 + 4 + 2, plan.Blocks);
        Assert.Equal(0, plan.FileCount);
    }
}
