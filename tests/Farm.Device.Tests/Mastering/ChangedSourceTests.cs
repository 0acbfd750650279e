using Farm.Device.Errors;
using Farm.Device.Mastering;

namespace Farm.Device.Tests.Mastering;

/// <summary>A folder that changes between planning and writing stops the image with an error naming the file.</summary>
public sealed class ChangedSourceTests : IDisposable
{
    private readonly SampleTree _tree = new(bigFileBytes: 3 * 1024 * 1024);

    public void Dispose() => _tree.Dispose();

    private string Big => Path.Combine(_tree.Root, "data", "big.dat");

    private static async Task<DeviceError> WriteFailsAsync(IsoImagePlan plan)
    {
        using var sink = new MemoryStream();
        return (await Assert.ThrowsAsync<DeviceException>(() => plan.WriteAsync(sink, CancellationToken.None))).Error;
    }

    [Fact]
    public async Task A_file_that_grew_is_an_error_naming_it()
    {
        var plan = IsoImagePlan.Create(_tree.Root, IsoMasteringOptions.Default);
        await File.AppendAllTextAsync(Big, "more");

        var error = await WriteFailsAsync(plan);

        Assert.Equal(ImapiErrors.V1FileAccess, error.Error);
        Assert.Equal(
            $"file 'data/big.dat' ({Big}) is now 3,145,732 bytes since the image was planned (3,145,728 bytes); "
            + "the image is incomplete: master the folder again once nothing writes to it",
            error.Message);
    }

    [Fact]
    public async Task A_file_that_shrank_is_an_error_naming_it()
    {
        var plan = IsoImagePlan.Create(_tree.Root, IsoMasteringOptions.Default);
        await using (var file = File.OpenWrite(Big))
        {
            file.SetLength(100);
        }

        Assert.StartsWith($"file 'data/big.dat' ({Big}) is now 100 bytes since the image was planned", (await WriteFailsAsync(plan)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_deleted_since_planning_is_an_error_naming_it()
    {
        var plan = IsoImagePlan.Create(_tree.Root, IsoMasteringOptions.Default);
        File.Delete(Big);

        var error = await WriteFailsAsync(plan);

        Assert.Equal(ImapiErrors.V1FileAccess, error.Error);
        Assert.StartsWith($"file 'data/big.dat' ({Big}) cannot be read: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sector_source_fails_the_burn_with_the_same_error()
    {
        var plan = IsoImagePlan.Create(_tree.Root, IsoMasteringOptions.Default);
        await File.AppendAllTextAsync(Big, "more");

        await using var source = plan.OpenSectorSource();
        var failure = await Assert.ThrowsAsync<DeviceException>(async () =>
        {
            while (!(await source.NextAsync(CancellationToken.None)).IsEmpty)
            {
            }
        });

        Assert.StartsWith("file 'data/big.dat'", failure.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_stops_when_cancelled()
    {
        var plan = IsoImagePlan.Create(_tree.Root, IsoMasteringOptions.Default);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => plan.WriteAsync(new MemoryStream(), cancel.Token));
    }
}
