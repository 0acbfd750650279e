using Farm.Device.Mastering;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;
using static Farm.Device.Tests.Writing.WritingKit;

namespace Farm.Device.Tests.Multisession;

/// <summary>
/// A fast simulated drive with an appendable disc, folders to add as sessions, and the disc's
/// recorded bytes exported to a plain file for the third-party readers.
/// </summary>
internal sealed class AppendRig : IAsyncDisposable
{
    private readonly TempDirectory _temp = new("farm-append");

    public AppendRig(Profile profile)
    {
        Drive = DriveWith(profile, out var disc);
        Disc = disc;
        Mmc = MmcOf(Drive);
    }

    public SimulatedDrive Drive { get; }

    public SimulatedDisc Disc { get; }

    public MmcDrive Mmc { get; }

    public string Folder(string name, params (string Path, byte[] Data)[] files)
    {
        var root = Path.Combine(_temp.FullPath, name);
        Directory.CreateDirectory(root);
        foreach (var (path, data) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, data);
            File.SetLastWriteTimeUtc(full, new DateTime(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc));
        }

        return root;
    }

    public DataWriter Writer(bool close = false) => new(Mmc, new DataWriterOptions { ForceMediaToBeClosed = close, Verify = VerifyMode.Full });

    /// <summary>Plans and burns <paramref name="folder"/> as the next session, leaving the disc open unless <paramref name="close"/>.</summary>
    public async Task<(AppendPlan Plan, BurnResult Burned)> AppendAsync(string folder, bool close = false)
    {
        var writer = Writer(close);
        var plan = await SessionAppender.PlanAsync(writer, folder, IsoMasteringOptions.Default, CancellationToken.None);
        var burned = await SessionAppender.BurnAsync(writer, plan, null, CancellationToken.None);
        return (plan, burned);
    }

    /// <summary>The disc's blocks from 0 to the last recorded one (gaps as zeros) in a file.</summary>
    public string Export()
    {
        var path = Path.Combine(_temp.FullPath, "disc.iso");
        long last = Disc.LastRecordedAddress ?? throw new InvalidOperationException("nothing recorded");
        using var file = File.Create(path);
        var block = new byte[IMediaStore.BlockSize * 32];
        for (long lba = 0; lba <= last; lba += 32)
        {
            var count = (int)Math.Min(32, last + 1 - lba);
            Disc.Store.Read(lba, block.AsSpan(0, count * IMediaStore.BlockSize));
            file.Write(block, 0, count * IMediaStore.BlockSize);
        }

        return path;
    }

    public string PathIn(string name) => Path.Combine(_temp.FullPath, name);

    public async ValueTask DisposeAsync()
    {
        await Drive.DisposeAsync();
        _temp.Dispose();
    }
}
