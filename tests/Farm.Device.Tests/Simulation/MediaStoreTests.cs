using Farm.Device.Simulation;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>The sector stores under a simulated disc.</summary>
public sealed class MediaStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("burnfarm-store-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Memory_store_reads_unwritten_blocks_as_zeros()
    {
        using var store = new MemoryMediaStore();
        var buffer = Pattern(0, 4);

        store.Read(1_000_000, buffer);

        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Memory_store_allocates_only_the_chunks_written()
    {
        using var store = new MemoryMediaStore();

        store.Write(10_000_000, Pattern(10_000_000, 1));

        Assert.Equal(MemoryMediaStore.ChunkBlocks * 2048, store.AllocatedBytes);
        Assert.Equal(10_000_001, store.WrittenExtentBlocks);
    }

    [Fact]
    public void Memory_store_returns_a_write_that_straddles_chunks()
    {
        using var store = new MemoryMediaStore();
        var data = Pattern(30, 8);
        var back = new byte[data.Length];

        store.Write(30, data);
        store.Read(30, back);

        Assert.Equal(data, back);
    }

    [Fact]
    public void Truncating_forgets_blocks_from_the_new_extent_on()
    {
        using var store = new MemoryMediaStore();
        store.Write(0, Pattern(0, 40));

        store.Truncate(20);

        var back = new byte[2048];
        store.Read(25, back);
        Assert.All(back, b => Assert.Equal(0, b));
        Assert.Equal(20, store.WrittenExtentBlocks);
    }

    [Fact]
    public void A_transfer_that_is_not_whole_blocks_is_refused()
    {
        using var store = new MemoryMediaStore();

        Assert.Throws<ArgumentException>(() => store.Write(0, new byte[1000]));
    }

    [Fact]
    public void File_store_keeps_its_content_when_opened_again()
    {
        string path = Path.Combine(_folder, "disc.img");
        using (var store = FileMediaStore.Open(path))
        {
            store.Write(100, Pattern(100, 3));
        }

        using var reopened = FileMediaStore.Open(path);
        var back = new byte[3 * 2048];
        reopened.Read(100, back);

        Assert.Equal(Pattern(100, 3), back);
        Assert.Equal(103, reopened.WrittenExtentBlocks);
    }

    [Fact]
    public void File_store_reads_beyond_its_end_as_zeros()
    {
        using var store = FileMediaStore.Open(Path.Combine(_folder, "short.img"));
        store.Write(0, Pattern(0, 1));
        var back = Pattern(0, 2);

        store.Read(0, back);

        Assert.Equal(Pattern(0, 1), back[..2048]);
        Assert.All(back[2048..], b => Assert.Equal(0, b));
    }
}
