using System.Buffers.Binary;
using System.Security.Cryptography;
using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// The UDF plan's promises (its block count is the written size, the sector source gives the
/// same bytes, the same folder gives the same image), the encodings every descriptor relies on,
/// and the inputs UDF refuses with a message that says what to do.
/// </summary>
public sealed class UdfImagePlanTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly SampleTree _tree = new();
    private readonly TempDirectory _temp = new("farm-udf-bad");

    public void Dispose()
    {
        _tree.Dispose();
        _temp.Dispose();
    }

    [Theory]
    [InlineData(UdfRevision.V102, false)]
    [InlineData(UdfRevision.V201, false)]
    [InlineData(UdfRevision.V250, false)]
    [InlineData(UdfRevision.V201, true)]
    public async Task The_planned_block_count_is_the_size_written_and_the_sector_source_gives_the_same_bytes(UdfRevision revision, bool bridge)
    {
        var plan = UdfImagePlan.Create(_tree.Root, new UdfMasteringOptions { Revision = revision, Bridge = bridge, VolumeCreated = Created });
        var image = await ImageAsync(plan);

        using var delivered = new MemoryStream();
        await using (var source = plan.OpenSectorSource(chunkBytes: 64 * 1024, fifoBytes: 256 * 1024))
        {
            for (var chunk = await source.NextAsync(CancellationToken.None); !chunk.IsEmpty; chunk = await source.NextAsync(CancellationToken.None))
            {
                delivered.Write(chunk.Span);
            }

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), await source.GetSha256Async(CancellationToken.None));
        }

        Assert.Equal(plan.Blocks * 2048, image.Length);
        Assert.True(image.AsSpan().SequenceEqual(delivered.ToArray()));
        Assert.Equal(10, plan.FileCount);
        Assert.Equal(7, plan.DirectoryCount);
    }

    [Fact]
    public async Task Two_runs_on_the_same_folder_give_the_same_bytes()
    {
        var options = new UdfMasteringOptions { Revision = UdfRevision.V250 };

        var first = await ImageAsync(UdfImagePlan.Create(_tree.Root, options));
        var second = await ImageAsync(UdfImagePlan.Create(_tree.Root, options));

        Assert.True(first.AsSpan().SequenceEqual(second));
    }

    [Fact]
    public async Task Every_anchor_names_its_own_block_and_carries_a_valid_checksum_and_crc()
    {
        var plan = UdfImagePlan.Create(_tree.Root, UdfMasteringOptions.Default);
        var image = await ImageAsync(plan);

        foreach (var block in (long[])[256, plan.Blocks - 1])
        {
            var tag = image.AsSpan((int)(block * 2048), 512);
            Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(tag));              // anchor
            Assert.Equal((uint)block, BinaryPrimitives.ReadUInt32LittleEndian(tag[12..]));
            Assert.Equal(UdfBytes.Crc(tag[16..]), BinaryPrimitives.ReadUInt16LittleEndian(tag[8..]));
            var sum = 0;
            for (var i = 0; i < 16; i++)
            {
                sum += i == 4 ? 0 : tag[i];
            }

            Assert.Equal((byte)sum, tag[4]);
        }
    }

    [Fact]
    public void The_crc_is_ecma_167s_worked_example()
    {
        // ECMA-167 3/7.2.6: "the CRC of the three bytes 70h 6Ah 77h is 3299h".
        Assert.Equal(0x3299, UdfBytes.Crc([0x70, 0x6A, 0x77]));
    }

    [Fact]
    public void Names_are_8_bit_when_latin_1_and_16_bit_otherwise_with_the_length_in_the_dstring()
    {
        Assert.Equal([8, (byte)'a', 0xE9], UdfBytes.Cs0("aé"));
        Assert.Equal([16, 0x65, 0xE5], UdfBytes.Cs0("日"));
        var field = new byte[32];
        UdfBytes.Dstring(field, new string('x', 40)); // longer than the field: cut to 30 characters
        Assert.Equal(31, field[31]);
        Assert.Equal(8, field[0]);
    }

    [Fact]
    public void A_name_over_254_latin_1_characters_is_refused_naming_it()
    {
        var name = new string('n', 251) + ".txt"; // 255 bytes: Linux holds it, UDF does not
        var root = Folder(name);

        var error = Refused(root);

        Assert.Equal(ImapiErrors.V1BadJolietName, error.Error);
        Assert.Equal($"'{name}' cannot be mastered: its name is 255 characters long and a UDF name holds at most 254 such characters (255 bytes of OSTA compressed Unicode, ECMA-167 4/14.4.4); rename it", error.Message);
    }

    [Fact]
    public void A_16_bit_name_over_127_characters_is_refused()
    {
        var name = "λ" + new string('n', 123) + ".txt"; // 128 UTF-16 code units
        var error = Refused(Folder(name));

        Assert.Contains("its name is 128 characters long and a UDF name holds at most 127 such characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tree_deeper_than_iso_9660_allows_is_mastered()
    {
        var deep = string.Join('/', Enumerable.Range(1, 30).Select(level => $"d{level}"));

        Assert.Equal(31, UdfImagePlan.Create(Folder($"{deep}/f.txt"), UdfMasteringOptions.Default).DirectoryCount);
    }

    [Fact]
    public void A_file_longer_than_a_file_entry_can_chain_is_refused_with_the_limit()
    {
        var root = Folder("ok.txt");
        using (var big = File.Create(Path.Combine(root, "huge.img")))
        {
            big.SetLength(300L * 1024 * 1024 * 1024); // sparse: planning reads nothing
        }

        var error = Refused(root);

        Assert.Equal(
            "'huge.img' is 322,122,547,200 bytes, 301 extents of under 1 GiB (UDF 2.3.10), and one File Entry holds 234 here (UDF 1.02); split it into parts under 234 GiB",
            error.Message);
    }

    [Fact]
    public void An_image_larger_than_the_capacity_is_refused_before_a_byte_is_written()
    {
        var error = Refused(Folder("a.txt"), new UdfMasteringOptions { CapacityBlocks = 100 });

        Assert.Equal(ImapiErrors.V1DiscFull, error.Error);
        Assert.Equal(Disposition.None, error.Disposition);
    }

    [Theory]
    [InlineData("1.02", UdfRevision.V102)]
    [InlineData("2.01", UdfRevision.V201)]
    [InlineData("2.50", UdfRevision.V250)]
    public void Revisions_parse_and_print_as_written(string text, UdfRevision revision)
    {
        Assert.Equal(revision, UdfMasteringOptions.ParseRevision(text));
        Assert.Equal(text, UdfMasteringOptions.Describe(revision));
    }

    [Fact]
    public void Other_revisions_do_not_parse()
    {
        Assert.Null(UdfMasteringOptions.ParseRevision("2.60"));
        Assert.Null(UdfMasteringOptions.ParseRevision("1.5"));
    }

    private static async Task<byte[]> ImageAsync(UdfImagePlan plan)
    {
        using var memory = new MemoryStream();
        await plan.WriteAsync(memory, CancellationToken.None);
        return memory.ToArray();
    }

    private static DeviceError Refused(string folder, UdfMasteringOptions? options = null) =>
        Assert.Throws<DeviceException>(() => UdfImagePlan.Create(folder, options ?? UdfMasteringOptions.Default)).Error;

    private string Folder(string file)
    {
        var root = _temp.PathOf("in");
        var path = Path.Combine(root, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
        return root;
    }
}
