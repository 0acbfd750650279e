using Akka.Actor;
using Akka.TestKit;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Node.Hosting;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Node.Tests.Akka;

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

    public SupervisionOptions Supervision { get; init; } = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), 2.0, 3, TimeSpan.FromMinutes(5));

    public Func<RecorderOptions, RecorderOptions> Recorder { get; init; } = o => o;

    public int SnapshotEvery { get; init; } = 200;

    /// <summary>Replaces how a drive's transport opens (a dead device, a throwing driver).</summary>
    public Func<string, SimulatedDrive, IScsiTransport>? Open { get; init; }

    /// <summary>How the controller answers a claim for a verified disc; null: it does not answer.</summary>
    public Func<VerifiedDiscClaim, VerifiedDiscAnswer?> AnswerClaim { get; init; } = ControllerStandIn.CountEveryDisc;

    /// <summary>The controller refuses the node with this reason.</summary>
    public string? RefuseWith { get; init; }

    /// <summary>The node's cache of images fetched from controllers (null: images are read at their paths).</summary>
    public Farm.Node.Images.ImageStore? Fetched { get; init; }
}

/// <summary>
/// A node on simulated hardware for specs: one tower and its drives under a real <see cref="NodeActor"/>
/// (towers, drive supervisors, recorders, the outbox), registered with a <see cref="ControllerStandIn"/>
/// that consumes its reports. Specs give orders as the controller would and wait for the reports.
/// </summary>
internal sealed class NodeRig : IAsyncDisposable
{
    public const string NodeId = "node-1";
    public const string TowerId = "T1";
    private static int _instances;

    private readonly TestKitBase _kit;
    private readonly Dictionary<string, int> _opens = new(StringComparer.Ordinal);
    private readonly List<SimulatedTower> _towers = [];
    private readonly TaskCompletionSource<SimulatedTower> _firstTower = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    private NodeRig(TestKitBase kit, RigOptions options, TempDirectory folder, ReportLog log)
    {
        _kit = kit;
        Options = options;
        Folder = folder;
        Log = log;
    }

    public RigOptions Options { get; }

    public TempDirectory Folder { get; }

    public ReportLog Log { get; }

    public Dictionary<string, SimulatedDrive> Drives { get; } = new(StringComparer.Ordinal);

    public IActorRef Node { get; private set; } = ActorRefs.Nobody;

    public IActorRef Controller { get; private set; } = ActorRefs.Nobody;

    /// <summary>The simulated tower as its actor built it from the journal.</summary>
    public SimulatedTower Tower => _firstTower.Task.IsCompleted ? _firstTower.Task.Result : throw new InvalidOperationException("the tower has not recovered yet");

    public static string DriveIdOf(int number) => $"{TowerId}-D{number}";

    public static string DriveSource(int number = 1) => RecorderActor.PersistenceIdOf(DriveIdOf(number));

    public static string TowerSource => TowerActor.PersistenceIdOf(TowerId);

    public int OpensOf(string driveId)
    {
        lock (_opens)
        {
            return _opens.GetValueOrDefault(driveId);
        }
    }

    /// <summary>Starts a node on the spec's ActorSystem; <paramref name="log"/> carries reports over from an earlier rig (a restart).</summary>
    /// <param name="system">Another ActorSystem than the spec's (a node restarted in a new process, on the same SQLite journal).</param>
    public static async Task<NodeRig> StartAsync(TestKitBase kit, RigOptions options, TempDirectory folder, ReportLog? log = null, ActorSystem? system = null)
    {
        var rig = new NodeRig(kit, options, folder, log ?? new ReportLog());
        rig.Build(system ?? kit.Sys);
        // The tower recovered and built its robot (or the node stopped its ActorSystem: a refusal).
        await Task.WhenAny(rig._firstTower.Task, (system ?? kit.Sys).WhenTerminated).WaitAsync(kit.Dilated(NodeSpec.Patience));
        return rig;
    }

    private void Build(ActorSystem system)
    {
        for (var n = 1; n <= Options.Drives; n++)
        {
            Drives[DriveIdOf(n)] = new SimulatedDrive(
                new SimulatedDriveOptions { Name = $"sim:{DriveIdOf(n)}", TimeScale = Options.TimeScale, UnlimitedSpeed = Options.UnlimitedSpeed, WriteSpeedX = Options.WriteSpeedX, BufferBytes = Options.DriveBufferBytes },
                TimeProvider.System);
        }

        string? media = null;
        if (Options.FileBackedMedia)
        {
            media = Folder.PathOf("media");
            Directory.CreateDirectory(media);
        }

        var towerOptions = new SimulatedTowerOptions { TowerId = TowerId, MediaType = Options.MediaType, InputCapacity = Options.InputBlanks, TimeScale = Options.TimeScale, HasPrinter = Options.HasPrinter, MediaFolder = media };
        var tower = new TowerSetup(
            TowerId,
            history =>
            {
                var built = new SimulatedTower(towerOptions, Drives, TimeProvider.System, new SimulatedTowerState(history.Picked, history.Output, history.Reject, history.DiscInDrive));
                lock (_towers)
                {
                    _towers.Add(built);
                }

                _firstTower.TrySetResult(built);
                return built;
            },
            [.. Drives.Select(d => new DriveSetup(d.Key, _ => Task.FromResult(OpenDrive(d.Key, d.Value))))]);
        var setup = new NodeSetup(NodeId, Folder.FullPath, [tower], (node, towerId, drive) => Options.Recorder(new RecorderOptions { NodeId = node, TowerId = towerId, DriveId = drive }))
        {
            Supervision = Options.Supervision,
            RegisterInterval = TimeSpan.FromMilliseconds(200),
            SnapshotEvery = Options.SnapshotEvery,
            LiveInterval = TimeSpan.FromMilliseconds(200),
        };
        var instance = Interlocked.Increment(ref _instances);
        Controller = system.ActorOf(ControllerStandIn.Props(Log, Options.RefuseWith, Options.AnswerClaim), $"controller-{instance}");
        Node = system.ActorOf(NodeActor.Props(setup, Controller, NullLoggerFactory.Instance, fetched: Options.Fetched), $"node-{instance}");
    }

    private IScsiTransport OpenDrive(string driveId, SimulatedDrive drive)
    {
        lock (_opens)
        {
            _opens[driveId] = _opens.GetValueOrDefault(driveId) + 1;
        }

        return Options.Open is { } open ? open(driveId, drive) : new SimulatedDriveHandle(drive);
    }

    public static string Image(TempDirectory folder, long blocks, int seed = 7)
    {
        var path = folder.PathOf($"image-{blocks}-{seed}.iso");
        if (!File.Exists(path))
        {
            var bytes = new byte[blocks * 2048];
            new Random(seed).NextBytes(bytes);
            File.WriteAllBytes(path, bytes);
        }

        return path;
    }

    public string Image(long blocks, int seed = 7) => Image(Folder, blocks, seed);

    public static CopyAssigned Assignment(string image, int copy = 1, int attempt = 1, int drive = 1, string mediaType = "DVD+R", bool allowResume = false, string? label = null) =>
        new("job-1", copy, attempt, NodeId, DriveIdOf(drive), image, new FileInfo(image).Length / 2048, VerifyMode.Full, mediaType, allowResume, label);

    public static CopyAbortRequested AbortOf(CopyAssigned assignment) =>
        new(assignment.JobId, assignment.Copy, assignment.Attempt, assignment.NodeId, assignment.DriveId, "job job-1 was cancelled with abort");

    /// <summary>Sends <paramref name="message"/> to the node, as the controller does.</summary>
    public void Tell(object message) => Node.Tell(message, Controller);

    public IReadOnlyList<IFarmEvent> DriveEvents(int drive = 1) => Log.Events(DriveSource(drive));

    public IReadOnlyList<IFarmEvent> TowerEvents() => Log.Events(TowerSource);

    /// <summary>Waits until the source reported the <paramref name="nth"/> event of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<T> WaitForAsync<T>(string sourceId, Func<T, bool>? match = null, int nth = 1)
        where T : IFarmEvent
    {
        T? Found() => Log.Events(sourceId).OfType<T>().Where(e => match?.Invoke(e) ?? true).Skip(nth - 1).FirstOrDefault();
        try
        {
            await _kit.AwaitConditionAsync(() => Task.FromResult(Found() is not null), _kit.Dilated(NodeSpec.Patience), TimeSpan.FromMilliseconds(20));
        }
        catch (Exception timedOut) when (timedOut is not OutOfMemoryException)
        {
            throw new TimeoutException($"no {typeof(T).Name} #{nth} from {sourceId}; it reported: {string.Join(", ", Log.Events(sourceId).Select(e => e.GetType().Name))}", timedOut);
        }

        return Found()!;
    }

    public Task<T> WaitForDriveAsync<T>(Func<T, bool>? match = null, int nth = 1, int drive = 1)
        where T : IFarmEvent => WaitForAsync(DriveSource(drive), match, nth);

    public async Task<RecorderStatus> StatusAsync(int drive = 1)
    {
        var drives = await Node.Ask<NodeActor.Drives>(NodeActor.GetDrives.Instance, _kit.Dilated(TimeSpan.FromSeconds(10)));
        return drives.Statuses.Single(s => s.DriveId == DriveIdOf(drive));
    }

    /// <summary>Waits until the drive's status shows <paramref name="state"/>.</summary>
    public async Task<RecorderStatus> WaitForStateAsync(RecorderState state, int drive = 1)
    {
        RecorderStatus? last = null;
        try
        {
            await _kit.AwaitConditionAsync(async () => (last = await StatusAsync(drive)).State == state, _kit.Dilated(NodeSpec.Patience), TimeSpan.FromMilliseconds(20));
        }
        catch (Exception timedOut) when (timedOut is not OutOfMemoryException)
        {
            throw new TimeoutException($"drive {DriveIdOf(drive)} is {last?.State}, not {state}; it reported: {string.Join(", ", DriveEvents(drive).Select(e => e.GetType().Name))}", timedOut);
        }

        return last!;
    }

    /// <summary>Stops the node's drives (cutting burns short when asked, their positions kept), then the node.</summary>
    public async Task<IReadOnlyList<RecorderStatus>> StopAsync(bool cutBurnsShort = true)
    {
        _stopped = true;
        var last = await Node.Ask<NodeActor.DrivesStopped>(new NodeActor.StopDrives(cutBurnsShort), _kit.Dilated(NodeSpec.Patience));
        await Node.GracefulStop(_kit.Dilated(NodeSpec.Patience));
        await Controller.GracefulStop(_kit.Dilated(NodeSpec.Patience));
        return last.Last;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped && !Node.IsNobody())
        {
            _stopped = true;
            try
            {
                await Node.GracefulStop(_kit.Dilated(NodeSpec.Patience));
                await Controller.GracefulStop(_kit.Dilated(NodeSpec.Patience));
            }
            catch (TaskCanceledException)
            {
                // Its ActorSystem is already gone (a spec terminated it): nothing left to stop.
            }
        }

        List<SimulatedTower> built;
        lock (_towers)
        {
            built = [.. _towers];
        }

        foreach (var tower in built)
        {
            await tower.DisposeAsync();
        }

        foreach (var drive in Drives.Values)
        {
            await drive.DisposeAsync();
        }
    }
}
