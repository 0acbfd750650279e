using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Device.Writing;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>Shared plumbing of the write-path tests: fast drives, images on disk, a transport that records opcodes.</summary>
internal static class WritingKit
{
    public static SimulatedDriveOptions Fast(SimulatedDriveOptions? options = null) =>
        (options ?? new SimulatedDriveOptions()) with
        {
            UnlimitedSpeed = true,
            CloseTrackDuration = TimeSpan.Zero,
            CloseSessionDuration = TimeSpan.Zero,
            FinalizeDuration = TimeSpan.Zero,
        };

    /// <summary>A fast drive holding a blank disc of <paramref name="profile"/>.</summary>
    public static SimulatedDrive DriveWith(Profile profile, out SimulatedDisc disc, SimulatedDriveOptions? options = null)
    {
        var drive = new SimulatedDrive(Fast(options));
        disc = SimulatedDisc.Blank(Profiles.Get(profile), "disc-1", new MemoryMediaStore());
        drive.Insert(disc);
        return drive;
    }

    public static MmcDrive MmcOf(IScsiTransport transport, TimeProvider? clock = null) =>
        new(transport, clock ?? TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });

    /// <summary>An image of random bytes on disk.</summary>
    public static ImageSource Image(TempDirectory folder, int blocks, int seed = 1) => ImageSource.Open(ImageFile(folder, blocks, seed));

    public static string ImageFile(TempDirectory folder, int blocks, int seed = 1)
    {
        var bytes = new byte[blocks * 2048];
        new Random(seed).NextBytes(bytes);
        var path = folder.PathOf($"image-{blocks}-{seed}.iso");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Reads <paramref name="blocks"/> blocks from the disc through the drive.</summary>
    public static async Task<byte[]> ReadDiscAsync(MmcDrive mmc, long lba, int blocks)
    {
        var data = new byte[blocks * 2048];
        for (var done = 0; done < blocks; done += 32)
        {
            var count = Math.Min(32, blocks - done);
            await mmc.ReadAsync((int)(lba + done), data.AsMemory(done * 2048, count * 2048), CancellationToken.None);
        }

        return data;
    }
}

/// <summary>IProgress that runs on the reporting thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class InlineProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}

/// <summary>Passes commands to a real transport and records each CDB, so a test can see what the engine sent.</summary>
internal sealed class RecordingTransport(IScsiTransport inner) : IScsiTransport
{
    private readonly Lock _gate = new();
    private readonly List<(byte[] Cdb, int DataLength)> _sent = [];

    public string Name => inner.Name;

    public int MaxTransferBytes { get; init; } = inner.MaxTransferBytes;

    public IReadOnlyList<(byte[] Cdb, int DataLength)> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<(byte[] Cdb, int DataLength)> Of(byte operationCode) => [.. Sent.Where(c => c.Cdb[0] == operationCode)];

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sent.Add((cdb.ToArray(), data.Length));
        }

        return inner.ExecuteAsync(cdb, direction, data, timeout, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
