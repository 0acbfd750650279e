using Farm.Device.Mastering;
using Farm.Testing;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// A file over 4 GiB at interchange level 3 (ECMA-119 10.3): recorded in two extents, read back
/// whole by xorriso. The file and the image are sparse, so the test writes little.
/// </summary>
public sealed class MultiExtentTests : IDisposable
{
    private const long Size = (4L * 1024 * 1024 * 1024) + 5000;
    private const long Boundary = IsoFile.MaxExtentBytes; // where the second extent starts
    private readonly TempDirectory _temp = new("farm-master-huge");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_file_over_4_gib_is_two_extents_that_xorriso_reads_back_whole()
    {
        var root = _temp.PathOf("in");
        Directory.CreateDirectory(root);
        var huge = Path.Combine(root, "huge.img");
        var marks = new Dictionary<long, byte[]>
        {
            [0] = "start"u8.ToArray(),
            [Boundary - 3] = "across the boundary"u8.ToArray(),
            [Size - 4] = "end!"u8.ToArray(),
        };
        await using (var file = File.Create(huge))
        {
            file.SetLength(Size);
            foreach (var (at, bytes) in marks)
            {
                file.Position = at;
                await file.WriteAsync(bytes);
            }
        }

        var plan = IsoImagePlan.Create(root, IsoMasteringOptions.Default);
        var image = _temp.PathOf("huge.iso");
        using (var sparse = new SparseFile(image))
        {
            await plan.WriteAsync(sparse, CancellationToken.None);
        }

        Assert.Equal(plan.Bytes, new FileInfo(image).Length);
        var found = await IsoTools.XorrisoAsync("-abort_on", "WARNING", "-indev", image, "-find", "/huge.img", "-exec", "lsdl");
        Assert.Matches($" {Size} .* '/huge.img'", found);
        foreach (var (at, bytes) in marks)
        {
            var piece = _temp.PathOf($"piece-{at}");
            await IsoTools.XorrisoAsync("-osirrox", "on", "-indev", image, "-extract_cut", "/huge.img", at.ToString(System.Globalization.CultureInfo.InvariantCulture), bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), piece);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(piece));
        }
    }
}
