using Akka.Actor;
using Akka.Pattern;
using Farm.Device.Writing;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Node.Images;
using Farm.Node.Recording;
using Farm.Node.Reporting;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>
/// One per farm-node process: creates the node's towers (each under a back-off supervisor) and
/// drives (each under its <see cref="DriveSupervisor"/>) and the <see cref="OutboxActor"/>; registers
/// with the controller singleton through its proxy (again and again until answered, and again when
/// the singleton that answered is gone); routes the controller's orders to the drives; ships every
/// event its towers and drives persist as a <see cref="NodeReport"/> through the outbox; passes the
/// drives' live figures on. A refusal (the id belongs to another live member) stops the process.
/// </summary>
public sealed partial class NodeActor : ReceiveActor, IWithTimers
{
    /// <summary>Answered with <see cref="Drives"/>: every drive's status, for local callers (the demo printout, tests).</summary>
    public sealed record GetDrives
    {
        public static readonly GetDrives Instance = new();
    }

    /// <summary>Every drive's status, in the order of the node's setup.</summary>
    public sealed record Drives(IReadOnlyList<RecorderStatus> Statuses);

    /// <summary>An operator dealt with a tower's alert; answered with <see cref="TowerProtocol.AlertAnswer"/>.</summary>
    public sealed record ClearTowerAlert(string TowerId, string Alert, string By);

    /// <summary>Stop every drive (a burn in progress cut short when asked, its position kept); answered with <see cref="DrivesStopped"/>.</summary>
    public sealed record StopDrives(bool CutBurnsShort);

    /// <summary>Every drive stopped; their statuses as they stopped.</summary>
    public sealed record DrivesStopped(IReadOnlyList<RecorderStatus> Last);

    /// <summary>Answered with <see cref="ImageReadsList"/>: what the node read from disk per image (its shared image reads).</summary>
    public sealed record GetImageReads
    {
        public static readonly GetImageReads Instance = new();
    }

    /// <summary>Bytes read from disk per image, and for how many drives.</summary>
    public sealed record ImageReadsList(IReadOnlyList<ImageReads> Images);

    /// <summary>Answered true once the controller accepted the node.</summary>
    public sealed record IsRegistered
    {
        public static readonly IsRegistered Instance = new();
    }

    private sealed record RegisterTick
    {
        public static readonly RegisterTick Instance = new();
    }

    /// <summary>Time to send the node's per-image read figures to the controller, if they changed.</summary>
    private sealed record ImageReadsTick
    {
        public static readonly ImageReadsTick Instance = new();
    }

    private sealed record Registration(IReadOnlyList<DriveBeat> Drives);

    private static readonly TimeSpan StatusPatience = TimeSpan.FromSeconds(3);

    private readonly NodeSetup _setup;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly SharedImageCache _images;
    private readonly bool _ownsImages;
    private readonly Dictionary<string, IActorRef> _drives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _towers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _towerOf = new(StringComparer.Ordinal);
    private IActorRef? _outbox;
    private IActorRef? _producer;
    private IActorRef? _singleton;

    /// <summary>The per-image read figures last sent to the controller: sent again only when they change.</summary>
    private IReadOnlyList<ImageReadFigures> _imageReadsSent = [];

    public NodeActor(NodeSetup setup, IActorRef controller, ILoggerFactory loggers, SharedImageCache? images, ImageStore? fetched = null)
    {
        Fetched = fetched;
        _setup = setup.Validate();
        _loggers = loggers;
        _logger = loggers.CreateLogger<NodeActor>();
        _ownsImages = images is null;
        _images = images ?? new SharedImageCache(setup.Images, loggers.CreateLogger<SharedImageCache>(), setup.Time);

        Receive<OutboxActor.Ready>(ready =>
        {
            _producer = ready.Producer;
            Self.Tell(RegisterTick.Instance);
            Timers.StartPeriodicTimer(nameof(RegisterTick), RegisterTick.Instance, setup.RegisterInterval);
        });
        Receive<EventPersisted>(persisted => _outbox!.Forward(new OutboxActor.Send(new NodeReport(setup.NodeId, persisted.SourceId, persisted.SequenceNr, persisted.Event))));
        Receive<TowerHoldChanged>(OnTowerHold);
        Receive<DriveLive>(live => controller.Tell(live));
        Receive<VerifiedDiscClaim>(claim => controller.Forward(claim)); // the singleton answers the drive itself
        Receive<CopyAssigned>(assignment => ToDrive(assignment.DriveId, assignment));
        Receive<CopyAbortRequested>(abort => ToDrive(abort.DriveId, abort));
        Receive<DriveCommand>(command => ToDrive(command.DriveId, command));
        Receive<ClearTowerAlert>(clear =>
        {
            if (_towers.TryGetValue(clear.TowerId, out var tower))
            {
                tower.Forward(new TowerProtocol.ClearAlert(clear.Alert, clear.By));
            }
            else
            {
                Sender.Tell(new TowerProtocol.AlertAnswer($"node {setup.NodeId} has no tower '{clear.TowerId}'; it has {string.Join(", ", _towers.Keys)}"));
            }
        });
        Receive<RefillTower>(refill =>
        {
            // The controller answered the operator already; the tower's answer is of no use to it.
            if (_towers.TryGetValue(refill.TowerId, out var tower))
            {
                tower.Tell(new TowerProtocol.Refilled(refill.InputBlanks, refill.By), ActorRefs.Nobody);
            }
        });
        Receive<GetDrives>(_ => StatusesAsync().PipeTo(Sender, success: statuses => new Drives(statuses)));
        Receive<IsRegistered>(_ => Sender.Tell(_singleton is not null));
        Receive<GetImageReads>(_ => Sender.Tell(new ImageReadsList(_images.Images)));
        Receive<ImageReadsTick>(_ => SendImageReads(controller));
        Receive<StopDrives>(stop => StopAllAsync(stop.CutBurnsShort).PipeTo(Sender, success: last => new DrivesStopped(last)));
        Receive<RegisterTick>(_ => _producer is not null && _singleton is null, _ =>
            StatusesAsync().PipeTo(Self, success: statuses => new Registration([.. statuses.Select(s => new DriveBeat(s.DriveId, s.State.ToString()))])));
        Receive<RegisterTick>(_ => { });
        Receive<Registration>(registration =>
        {
            if (_singleton is null && _producer is not null)
            {
                controller.Tell(new RegisterNode(setup.NodeId, Self, _producer, registration.Drives));
            }
        });
        Receive<NodeRegistered>(registered => registered.NodeId == setup.NodeId, _ =>
        {
            if (_singleton is not null)
            {
                return;
            }

            // Watch the incarnation that answered: when it is gone (the singleton moved), register again.
            _singleton = Sender;
            Context.Watch(_singleton);
            _imageReadsSent = []; // a new controller incarnation knows none of them
            Timers.Cancel(nameof(RegisterTick));
            LogRegistered(setup.NodeId, Sender.Path);
        });
        Receive<NodeRefused>(refused => refused.NodeId == setup.NodeId, refused =>
        {
            LogRefused(setup.NodeId, refused.Reason);
            CoordinatedShutdown.Get(Context.System).Run(new NodeRefusedReason(setup.NodeId, refused.Reason));
        });
        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_singleton), _ =>
        {
            LogSingletonGone(setup.NodeId);
            _singleton = null;
            Self.Tell(RegisterTick.Instance);
            Timers.StartPeriodicTimer(nameof(RegisterTick), RegisterTick.Instance, setup.RegisterInterval);
        });
    }

    /// <summary>
    /// The node's actor; <paramref name="controller"/> is the controller singleton's proxy;
    /// <paramref name="images"/> the node's shared image reads (null: the actor makes its own and
    /// releases it when it stops).
    /// </summary>
    /// <param name="fetched">The node's cache of images fetched from the controllers (null: images are read at their paths only).</param>
    public static Props Props(NodeSetup setup, IActorRef controller, ILoggerFactory loggers, SharedImageCache? images = null, ImageStore? fetched = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(loggers);
        return Akka.Actor.Props.Create(() => new NodeActor(setup, controller, loggers, images, fetched));
    }

    /// <summary>The node's cache of images fetched from the controllers, handed to every recorder.</summary>
    public ImageStore? Fetched { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        _outbox = Context.ActorOf(OutboxActor.Props(_setup.NodeId), "outbox");
        Timers.StartPeriodicTimer(nameof(ImageReadsTick), ImageReadsTick.Instance, _setup.LiveInterval);

        // A tower that crashes (a journal failure, a bug) restarts with back-off, which Akka wants strictly widening.
        var minBackoff = _setup.Supervision.MinBackoff > TimeSpan.Zero ? _setup.Supervision.MinBackoff : TimeSpan.FromMilliseconds(1);
        var maxBackoff = _setup.Supervision.MaxBackoff > minBackoff ? _setup.Supervision.MaxBackoff : minBackoff * 2;
        foreach (var tower in _setup.Towers)
        {
            var towerProps = TowerActor.Props(new TowerActorSetup(tower.TowerId, tower.Robot, Self, _loggers) { SnapshotEvery = _setup.SnapshotEvery });
            var towerRef = Context.ActorOf(BackoffSupervisor.Props(Backoff.OnFailure(towerProps, "tower", minBackoff, maxBackoff, 0.2, -1)), $"tower-{tower.TowerId}");
            _towers.Add(tower.TowerId, towerRef);
            foreach (var drive in tower.Drives)
            {
                var recorder = new RecorderSetup(_setup.Recorder(_setup.NodeId, tower.TowerId, drive.DriveId), drive.OpenTransport, towerRef, Self, _setup.Time, _loggers)
                {
                    SnapshotEvery = _setup.SnapshotEvery,
                    LiveInterval = _setup.LiveInterval,
                    Images = _images,
                    Fetched = Fetched,
                };
                _drives.Add(drive.DriveId, Context.ActorOf(DriveSupervisor.Props(recorder, _setup.Supervision), $"drive-{drive.DriveId}"));
                _towerOf.Add(drive.DriveId, tower.TowerId);
            }
        }
    }

    protected override void PostStop()
    {
        if (_ownsImages)
        {
            // Its readers stop with it; a burn still running on one ends with an I/O error.
            _ = _images.DisposeAsync().AsTask();
        }

        base.PostStop();
    }

    private void ToDrive(string driveId, object message)
    {
        if (_drives.TryGetValue(driveId, out var drive))
        {
            drive.Forward(message);
            return;
        }

        LogUnknownDrive(_setup.NodeId, driveId, message.GetType().Name);
    }

    /// <summary>
    /// The node's per-image read figures to the controller when they changed since last sent: each
    /// live interval while drives read an image, once more when its last drive is done, then not
    /// until the next burn.
    /// </summary>
    private void SendImageReads(IActorRef controller)
    {
        List<ImageReadFigures> figures = [.. _images.Images
            .OrderBy(i => i.Path, StringComparer.Ordinal).ThenBy(i => i.LastWriteUtc)
            .Select(i => new ImageReadFigures(i.Path, i.ImageBytes, i.DiskBytes, i.Drives, i.Detached, i.Active))];
        if (figures.SequenceEqual(_imageReadsSent))
        {
            return;
        }

        _imageReadsSent = figures;
        controller.Tell(new NodeImageReads(_setup.NodeId, figures));
    }

    /// <summary>A tower needs a person, or no longer does: its drives hold, or are released.</summary>
    private void OnTowerHold(TowerHoldChanged change)
    {
        LogTowerHold(change.TowerId, change.Held, change.Why);
        foreach (var (driveId, towerId) in _towerOf)
        {
            if (towerId == change.TowerId)
            {
                _drives[driveId].Tell(change.Held
                    ? new RecorderProtocol.Pause(Farm.Messages.Drives.DriveHolds.Tower, change.Why)
                    : new RecorderProtocol.ResumeHolds(Farm.Messages.Drives.DriveHolds.Tower, $"tower {change.TowerId}"));
            }
        }
    }

    private Task<RecorderStatus[]> StatusesAsync()
    {
        var asks = _drives.Select(async drive =>
        {
            try
            {
                return await drive.Value.Ask<RecorderStatus>(RecorderProtocol.GetStatus.Instance, StatusPatience).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return new RecorderStatus(drive.Key, RecorderState.Offline, null, 0, -1, 0, 0, "the drive did not answer");
            }
        }).ToList();
        return Task.WhenAll(asks);
    }

    private async Task<IReadOnlyList<RecorderStatus>> StopAllAsync(bool cutShort)
    {
        var stops = _drives.Values.Select(d => d.Ask<RecorderProtocol.DriveStopped>(new RecorderProtocol.StopDrive(cutShort), TimeSpan.FromMinutes(2))).ToList();
        return [.. (await Task.WhenAll(stops).ConfigureAwait(false)).Select(s => s.Last)];
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Node {NodeId} registered with the controller {Singleton}")]
    private partial void LogRegistered(string nodeId, ActorPath singleton);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Tower {TowerId} held: {Held} ({Why})")]
    private partial void LogTowerHold(string towerId, bool held, string why);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Critical, Message = "Node {NodeId} was refused by the controller: {Reason}; the process stops")]
    private partial void LogRefused(string nodeId, string reason);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Node {NodeId}: the controller singleton it registered with is gone; registering again")]
    private partial void LogSingletonGone(string nodeId);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Node {NodeId} has no drive '{DriveId}'; dropped {What}")]
    private partial void LogUnknownDrive(string nodeId, string driveId, string what);
}

/// <summary>Why a node's ActorSystem shut down: the controller refused its id (the process exits 2).</summary>
public sealed class NodeRefusedReason(string nodeId, string why) : CoordinatedShutdown.Reason
{
    public string NodeId { get; } = nodeId;

    public string Why { get; } = why;

    /// <summary>A usage error of this process (its id): the exit code of a command line refused.</summary>
    public override int ExitCode => 2;

    public override string ToString() => $"the controller refused node {NodeId}: {Why}";
}
