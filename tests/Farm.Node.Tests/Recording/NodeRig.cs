using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Node.Actors;
using Farm.Node.Hosting;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>What a <see cref="NodeRig"/> is made of.</summary>
internal sealed record RigOptions
{
    public int Drives { get; init; } = 1;

    public string MediaType { get; init; } = "DVD+R";

    public int InputBlanks { get; init; } = 20;

    public double TimeScale { get; init; } = 2000;

    public bool UnlimitedSpeed { get; init; }

    public double? WriteSpeedX { get; init; }

    public bool HasPrinter { get; init; }

    public int DriveBufferBytes { get; init; } = 4 * 1024 * 1024;

    public bool FileBackedMedia { get; init; }

    public TimeProvider? Time { get; init; }

    public SupervisionOptions Supervision { get; init; } = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), 2.0, 3, TimeSpan.FromMinutes(5));

    public Func<RecorderOptions, RecorderOptions> Recorder { get; init; } = o => o;

    public int TailSnapshotEvery { get; init; } = 5000;
}

/// <summary>
/// A node on simulated hardware for tests: one tower, its drives, a NodeHost over a real SQLite
/// journal in a temporary folder. Tests give orders to the actors and wait for events in the
/// journal (woken by the journal's own append signal; nothing sleeps).
/// </summary>
internal sealed class NodeRig : IAsyncDisposable
{
    public const string TowerId = "T1";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource stopping = new();
    private readonly Dictionary<string, int> opens = new(StringComparer.Ordinal);
    private Task? running;

    private NodeRig(TempDirectory folder, RigOptions options, SqliteJournal journal)
    {
        Folder = folder;
        Options = options;
        Journal = journal;
    }

    public TempDirectory Folder { get; }

    public RigOptions Options { get; }

    public SqliteJournal Journal { get; }

    public Dictionary<string, SimulatedDrive> Drives { get; } = new(StringComparer.Ordinal);

    public SimulatedTower Tower { get; private set; } = null!;

    public NodeHost Host { get; private set; } = null!;

    /// <summary>Replaces how a drive's transport opens (a dead device, a counting probe).</summary>
    public Func<string, CancellationToken, Task<IScsiTransport>>? OpenOverride { get; set; }

    public int OpensOf(string driveId)
    {
        lock (opens)
        {
            return opens.GetValueOrDefault(driveId);
        }
    }

    public static string DriveIdOf(int number) => $"{TowerId}-D{number}";

    public static async Task<NodeRig> StartAsync(RigOptions options, TempDirectory? folder = null, bool start = true)
    {
        folder ??= new TempDirectory("node-rig");
        var time = options.Time ?? TimeProvider.System;
        var journal = await SqliteJournal.OpenAsync(folder.PathOf("node.db"), time, CancellationToken.None);
        var rig = new NodeRig(folder, options, journal);
        await rig.BuildAsync(time);
        if (start)
        {
            rig.Run();
        }

        return rig;
    }

    private async Task BuildAsync(TimeProvider time)
    {
        var past = await Journal.ReadStreamAsync(Farm.Node.Towers.TowerActor.StreamIdOf(TowerId), 1, CancellationToken.None);
        var history = Farm.Node.Towers.TowerHistory.Replay(past.Select(e => e.Event));
        for (var n = 1; n <= Options.Drives; n++)
        {
            Drives[DriveIdOf(n)] = new SimulatedDrive(
                new SimulatedDriveOptions { Name = $"sim:{DriveIdOf(n)}", TimeScale = Options.TimeScale, UnlimitedSpeed = Options.UnlimitedSpeed, WriteSpeedX = Options.WriteSpeedX, BufferBytes = Options.DriveBufferBytes },
                time);
        }

        string? media = null;
        if (Options.FileBackedMedia)
        {
            media = Folder.PathOf("media");
            Directory.CreateDirectory(media);
        }

        Tower = new SimulatedTower(
            new SimulatedTowerOptions { TowerId = TowerId, MediaType = Options.MediaType, InputCapacity = Options.InputBlanks, TimeScale = Options.TimeScale, HasPrinter = Options.HasPrinter, MediaFolder = media },
            Drives,
            time,
            new SimulatedTowerState(history.Picked, history.Output, history.Reject, history.DiscInDrive));
        var setups = new TowerSetup(Tower, [.. Drives.Select(d => new DriveSetup(d.Key, ct => OpenAsync(d.Key, d.Value, ct)))]);
        Host = new NodeHost("node-1", Journal, [setups], time, Options.Supervision,
            (node, tower, drive) => Options.Recorder(new RecorderOptions { NodeId = node, TowerId = tower, DriveId = drive }),
            NullLoggerFactory.Instance)
        {
            TailSnapshotEvery = Options.TailSnapshotEvery,
        };
    }

    private Task<IScsiTransport> OpenAsync(string driveId, SimulatedDrive drive, CancellationToken cancellationToken)
    {
        lock (opens)
        {
            opens[driveId] = opens.GetValueOrDefault(driveId) + 1;
        }

        return OpenOverride is { } open ? open(driveId, cancellationToken) : Task.FromResult<IScsiTransport>(new SimulatedDriveHandle(drive));
    }

    public void Run() => running = Task.Run(() => Host.RunAsync(stopping.Token));

    public RecorderActor Drive(int number = 1) => Host.Drive(DriveIdOf(number));

    /// <summary>An image of <paramref name="blocks"/> random 2048-byte blocks.</summary>
    public string Image(long blocks, int seed = 7) => ImageIn(Folder, blocks, seed);

    /// <summary>An image of <paramref name="blocks"/> random 2048-byte blocks in <paramref name="folder"/> (made once).</summary>
    public static string ImageIn(TempDirectory folder, long blocks, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = folder.PathOf($"image-{blocks}-{seed}.iso");
        if (!File.Exists(path))
        {
            var bytes = new byte[blocks * 2048];
            new Random(seed).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    public static CopyAssigned Assignment(string image, int copy = 1, int attempt = 1, int drive = 1, string mediaType = "DVD+R", bool allowResume = false, string? label = null) =>
        new("job-1", copy, attempt, "node-1", DriveIdOf(drive), image, new FileInfo(image).Length / 2048, VerifyMode.Full, mediaType, allowResume, label);

    public async Task<IReadOnlyList<IFarmEvent>> StreamAsync(string streamId) =>
        [.. (await Journal.ReadStreamAsync(streamId, 1, CancellationToken.None)).Select(e => e.Event)];

    public Task<IReadOnlyList<IFarmEvent>> DriveEventsAsync(int number = 1) => StreamAsync(RecorderActor.StreamIdOf(DriveIdOf(number)));

    /// <summary>Waits until the stream holds an event of type <typeparamref name="T"/> matching <paramref name="match"/> (the <paramref name="nth"/> such).</summary>
    public async Task<T> WaitForAsync<T>(string streamId, Func<T, bool>? match = null, int nth = 1)
        where T : IFarmEvent
    {
        using var timeout = new CancellationTokenSource(Patience);
        long after = 0;
        while (true)
        {
            // The journal's position before looking: an event appended after it wakes the wait below
            // (taking the position after looking would sleep through an event appended in between).
            after = await LastOrderingAsync(after, timeout.Token);
            var found = (await StreamAsync(streamId)).OfType<T>().Where(e => match?.Invoke(e) ?? true).Skip(nth - 1).FirstOrDefault();
            if (found is not null)
            {
                return found;
            }

            try
            {
                await Journal.WaitForNewEventsAsync(after, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"no {typeof(T).Name} in {streamId} within {Patience}; the stream holds: {string.Join(", ", (await StreamAsync(streamId)).Select(e => e.GetType().Name))}");
            }
        }
    }

    public Task<T> WaitForDriveAsync<T>(Func<T, bool>? match = null, int nth = 1, int drive = 1)
        where T : IFarmEvent => WaitForAsync(RecorderActor.StreamIdOf(DriveIdOf(drive)), match, nth);

    /// <summary>Waits until the drive's observable state is <paramref name="state"/> (its events are in the journal by then).</summary>
    public async Task WaitForStateAsync(RecorderState state, int drive = 1)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var actor = Drive(drive);
        long after = 0;
        while (actor.Current.State != state)
        {
            try
            {
                after = await LastOrderingAsync(after, timeout.Token);
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                poll.CancelAfter(TimeSpan.FromMilliseconds(50));
                await Journal.WaitForNewEventsAsync(after, poll.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                timeout.Token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"drive {DriveIdOf(drive)} is {actor.Current.State}, not {state}, after {Patience}");
            }
        }
    }

    private async Task<long> LastOrderingAsync(long after, CancellationToken cancellationToken)
    {
        var batch = await Journal.ReadAllAsync(after, int.MaxValue, cancellationToken);
        return batch.Count > 0 ? batch[^1].Ordering : after;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Host.DisposeAsync();
        if (running is not null)
        {
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
        }

        Tower.Dispose();
        foreach (var drive in Drives.Values)
        {
            await drive.DisposeAsync();
        }

        await Journal.DisposeAsync();
        stopping.Dispose();
    }
}
