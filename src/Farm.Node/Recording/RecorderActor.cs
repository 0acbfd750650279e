using System.Runtime.ExceptionServices;
using Akka.Actor;
using Akka.Persistence;
using Farm.Device.Mmc;
using Farm.Device.Spc;
using Farm.Device.Transports;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Node.Cluster;
using Farm.Node.Images;
using Farm.Node.Persistence;
using Farm.Node.Reporting;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

/// <summary>How a drive's recorder is made: its identity and policy, its device, its tower, who hears its events.</summary>
/// <param name="OpenTransport">Opens the device; called on every (re)start, so a dead handle is never reused.</param>
/// <param name="Tower">The drive's tower actor (arm moves).</param>
/// <param name="Node">Receives every persisted event (<see cref="EventPersisted"/>), the live figures (<see cref="DriveLive"/>) while burning, and the claims for verified discs (<see cref="VerifiedDiscClaim"/>), which it passes to the controller.</param>
public sealed record RecorderSetup(
    RecorderOptions Options,
    Func<CancellationToken, Task<IScsiTransport>> OpenTransport,
    IActorRef Tower,
    IActorRef Node,
    TimeProvider Time,
    ILoggerFactory Loggers)
{
    /// <summary>Events between two snapshots; a snapshot is taken only when the drive is idle and the controller confirmed every event.</summary>
    public int SnapshotEvery { get; init; } = 200;

    /// <summary>How often the live figures go to the node while the drive is busy.</summary>
    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The node's shared image reads; null: each burn reads its image on its own.</summary>
    public SharedImageCache? Images { get; init; }

    /// <summary>The node's cache of images fetched from the controllers (<c>farm-node --farm</c>); null: images are read at their paths only.</summary>
    public ImageStore? Fetched { get; init; }
}

/// <summary>
/// One drive: owns its SCSI transport (nobody else touches the handle), carries out the copies the
/// controller assigns to it, and persists every step, bounded sector progress included, as
/// "drive-{id}" in the node's journal. The minutes-long work runs in a child <see cref="BurnWorker"/>,
/// so abort, status and operator commands are ordinary messages. After a crash (of the actor or the
/// whole node) recovery reports the burn that was cut short and gets the disc rejected (or resumes a
/// rewritable disc when the job allows it). Its <see cref="DriveSupervisor"/> restarts it with
/// back-off and, when it gives up, starts it in give-up mode: the drive goes to maintenance with an event.
/// </summary>
public sealed partial class RecorderActor : ReceivePersistentActor, IWithTimers
{
    private const string LiveTimer = "live";

    private readonly RecorderSetup _setup;
    private readonly RecorderOptions _options;
    private readonly BurnEpisode.GiveUp? _gaveUp;
    private readonly ILogger _logger;
    private readonly Dictionary<(string JobId, int Copy, int Attempt), string> _abortRequests = [];
    private readonly List<(long SequenceNr, IFarmEvent Event)> _replayed = [];
    private IScsiTransport? _transport;
    private MmcDrive? _drive;
    private RecorderHistory _history = RecorderHistory.Empty;
    private RecorderStatus _status;
    private IActorRef? _worker;
    private BurnAttempt? _running;
    private BurnEpisode? _runningEpisode;
    private IActorRef? _stopRequester;

    /// <param name="gaveUp">Non-null: the supervisor gave up on the drive; the recorder opens no device and puts the drive in maintenance.</param>
    public RecorderActor(RecorderSetup setup, DriveGaveUp? gaveUp)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _setup = setup;
        _options = setup.Options.Validate();
        _gaveUp = gaveUp is null ? null : new BurnEpisode.GiveUp(gaveUp.Restarts, gaveUp.LastFailure);
        _logger = setup.Loggers.CreateLogger<RecorderActor>();
        PersistenceId = PersistenceIdOf(_options.DriveId);
        JournalPluginId = FarmPersistence.NodeJournalId;
        SnapshotPluginId = FarmPersistence.NodeSnapshotId;
        _status = new RecorderStatus(_options.DriveId, RecorderState.Offline, null, 0, -1, 0, 0, null);

        Recover<SnapshotOffer>(offer => RecoverSnapshot(offer));
        Recover<IFarmEvent>(farmEvent =>
        {
            _history = RecorderHistory.Apply(_history, farmEvent);
            _replayed.Add((LastSequenceNr, farmEvent));
        });
        Recover<RecoveryCompleted>(_ => Recovered());
        Starting();
    }

    /// <summary>The recorder of a drive; <paramref name="gaveUp"/> starts it in give-up mode (no device: maintenance).</summary>
    public static Props Props(RecorderSetup setup, DriveGaveUp? gaveUp = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return Akka.Actor.Props.Create(() => new RecorderActor(setup, gaveUp));
    }

    public static string PersistenceIdOf(string driveId) => $"drive-{driveId}";

    public override string PersistenceId { get; }

    public ITimerScheduler Timers { get; set; } = null!;

    private string DriveId => _options.DriveId;

    private sealed record Opened(IScsiTransport Transport, MmcDrive Drive, InquiryData Inquiry);

    private sealed record OpenFailed(Exception Cause);

    private sealed record LiveTick
    {
        public static readonly LiveTick Instance = new();
    }

    /// <summary>Re-sends what recovery replayed (the controller de-duplicates), then opens the device.</summary>
    private void Recovered()
    {
        foreach (var (sequenceNr, farmEvent) in _replayed)
        {
            _setup.Node.Tell(new EventPersisted(PersistenceId, sequenceNr, farmEvent));
        }

        _replayed.Clear();
        _status = _status with { Holds = [.. _history.Holds.Keys] };
        if (_gaveUp is not null)
        {
            StartWorker(_gaveUp);
            return;
        }

        var open = _setup.OpenTransport;
        var time = _setup.Time;
        Task.Run(async () =>
        {
            var opened = await open(CancellationToken.None).ConfigureAwait(false);
            try
            {
                var mmc = new MmcDrive(opened, time);
                return new Opened(opened, mmc, await mmc.InquiryAsync(CancellationToken.None).ConfigureAwait(false));
            }
            catch
            {
                await opened.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }).PipeTo(Self, success: opened => opened, failure: cause => new OpenFailed(cause is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : cause));
    }

    /// <summary>Recovering and opening the device: orders wait; status and aborts are answered.</summary>
    private void Starting()
    {
        Command<Opened>(opened =>
        {
            _transport = opened.Transport;
            _drive = opened.Drive;
            Persist(new DriveCameOnline(DriveId, _options.NodeId, _options.TowerId, opened.Inquiry.Vendor, opened.Inquiry.Product), farmEvent =>
            {
                Applied(farmEvent);
                if (_history.Open is { } open)
                {
                    StartWorker(new BurnEpisode.Recover(open));
                }
                else
                {
                    BecomeReady();
                    Settle();
                }
            });
        });
        Command<OpenFailed>(failed =>
        {
            LogOpenFailed(DriveId, failed.Cause.Message);
            ExceptionDispatchInfo.Capture(failed.Cause).Throw();
        });
        CommonCommands();
        Command<CopyAbortRequested>(abort => RememberAbort(abort));
        CommandAny(_ => Stash.Stash());
    }

    /// <summary>No episode running: the drive takes copies and operator orders.</summary>
    private void BecomeReady()
    {
        Become(() =>
        {
            CommonCommands();
            Command<CopyAssigned>(assignment => Assigned(assignment));
            Command<CopyAbortRequested>(abort => RememberAbort(abort));
            Command<DriveCommand>(command => OnDriveCommand(command));
            Command<RecorderProtocol.Pause>(pause => Pause(pause.Hold, pause.Why));
            Command<RecorderProtocol.ResumeHolds>(resume => ResumeHolds(resume.Hold, resume.By));
            Command<RecorderProtocol.SetMaintenance>(maintenance => SetMaintenance(maintenance.On, maintenance.Why));
            Command<RecorderProtocol.StopDrive>(stop =>
            {
                Sender.Tell(new RecorderProtocol.DriveStopped(DriveId, _status));
                Context.Stop(Self);
            });
        });
        Stash.UnstashAll();
    }

    /// <summary>An episode runs in the worker: its steps are persisted here, orders wait until it ends, aborts reach it at once.</summary>
    private void BecomeBusy()
    {
        Become(() =>
        {
            CommonCommands();
            Command<BurnWorker.PersistStep>(step =>
            {
                var replyTo = Sender;
                Persist(step.Event, farmEvent =>
                {
                    Applied(farmEvent);
                    replyTo.Tell(new BurnWorker.StepPersisted(_history));
                });
            });
            Command<BurnWorker.StatusChanged>(changed => _status = changed.Status with { Holds = [.. _history.Holds.Keys] });
            Command<BurnWorker.Ended>(ended => EpisodeEnded(ended));
            Command<BurnWorker.Crashed>(crashed => EpisodeCrashed(crashed));
            Command<LiveTick>(_ => _setup.Node.Tell(new DriveLive(DriveId, _status.State.ToString(), _status.LastWrittenLba, _status.TotalBlocks, _status.CurrentBytesPerSecond, _status.BufferFill, _status.DriveBufferFill)));
            Command<CopyAbortRequested>(abort => RememberAbort(abort));
            Command<CopyAssigned>(assignment => HasTaken(assignment), assignment => LogDuplicate(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt));
            Command<RecorderProtocol.StopDrive>(stop =>
            {
                _stopRequester = Sender;
                if (stop.CutBurnShort)
                {
                    _worker?.Tell(BurnWorker.CutShort.Instance);
                }
            });
            CommandAny(_ => Stash.Stash());
        });
    }

    /// <summary>What every behaviour answers: status, the controller's confirmations, snapshot bookkeeping.</summary>
    private void CommonCommands()
    {
        Command<RecorderProtocol.GetStatus>(_ => Sender.Tell(_status));
        Command<EventConfirmed>(confirmed => Confirmed(confirmed));
        SnapshotCommands();
    }

    private bool HasTaken(CopyAssigned assignment) => _history.Taken.Contains((assignment.JobId, assignment.Copy, assignment.Attempt));

    private void Assigned(CopyAssigned assignment)
    {
        if (HasTaken(assignment))
        {
            LogDuplicate(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt);
            return;
        }

        if (_status.State != RecorderState.Idle)
        {
            // Tell the controller at once, or the copy would wait for a drive that will never do it.
            LogRefused(DriveId, assignment.JobId, assignment.Copy, _status.State);
            Persist(
                new BurnFailed(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, BurnFailed.RefusedPhase, -1,
                    new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, $"drive {DriveId} is {_status.State}, not idle")),
                Applied);
            return;
        }

        var attempt = AttemptInfo.From(assignment);
        Persist(new BurnAssigned(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, assignment.ImageBlocks, assignment.ImagePath, assignment.Verify, assignment.AllowResume, assignment.Label), farmEvent =>
        {
            Applied(farmEvent);
            MoveTo(RecorderState.Loading);
            _status = _status with { JobId = assignment.JobId, Copy = assignment.Copy, LastWrittenLba = -1, TotalBlocks = assignment.ImageBlocks, BytesPerSecond = 0, LastError = null };
            if (_abortRequests.Remove(attempt.Key, out var why))
            {
                // Aborted before it started: report it without spending a blank.
                var reason = BurnAttempt.Aborted("queued", -1, why);
                LogBurnFailed(DriveId, attempt.JobId, attempt.Copy, _status.State, reason.ToString());
                _status = _status with { LastError = reason.ToString() };
                Persist(new BurnFailed(DriveId, attempt.JobId, attempt.Copy, attempt.Attempt, BurnFailed.AbortedPhase, -1, reason), failed =>
                {
                    Applied(failed);
                    MoveTo(RecorderState.Idle);
                    Settle();
                });
                return;
            }

            StartWorker(new BurnEpisode.NewBurn(attempt));
        });
    }

    private void RememberAbort(CopyAbortRequested abort)
    {
        var key = (abort.JobId, abort.Copy, abort.Attempt);
        _abortRequests[key] = abort.Reason;
        if (_worker is not null && _runningEpisode?.Key == key)
        {
            _worker.Tell(new BurnWorker.Abort(key, abort.Reason));
        }
    }

    private void StartWorker(BurnEpisode episode)
    {
        _running = new BurnAttempt(_options, Self, _setup.Tower, _drive, _history, _status, _setup.Time, _logger) { Images = _setup.Images, Fetched = _setup.Fetched, Claims = _setup.Node };
        _runningEpisode = episode;
        _worker = Context.ActorOf(BurnWorker.Props(episode, _running), $"burn-{LastSequenceNr}");
        Timers.StartPeriodicTimer(LiveTimer, LiveTick.Instance, _setup.LiveInterval);
        BecomeBusy();
        Stash.UnstashAll();
    }

    private void EpisodeEnded(BurnWorker.Ended ended)
    {
        WorkerGone();
        _status = ended.Status with { Holds = [.. _history.Holds.Keys] };
        if (StopIfAsked())
        {
            return;
        }

        BecomeReady();
        if (ended.Settle)
        {
            Settle();
        }
    }

    private void EpisodeCrashed(BurnWorker.Crashed crashed)
    {
        WorkerGone();
        if (crashed.WasCutShort && StopIfAsked())
        {
            return;
        }

        // The supervisor restarts the actor: until then the drive is Faulted.
        LogCrashed(DriveId, _status.State, crashed.Cause.Message);
        _status = _status with { State = RecorderState.Faulted };
        ExceptionDispatchInfo.Capture(crashed.Cause).Throw();
    }

    private void WorkerGone()
    {
        // An abort asked for the attempt that just ended is spent (the table held every abort ever asked).
        if (_runningEpisode?.Key is { } ended)
        {
            _abortRequests.Remove(ended);
        }

        _worker = null;
        _running = null;
        _runningEpisode = null;
        Timers.Cancel(LiveTimer);
    }

    private bool StopIfAsked()
    {
        if (_stopRequester is null)
        {
            return false;
        }

        _stopRequester.Tell(new RecorderProtocol.DriveStopped(DriveId, _status));
        Context.Stop(Self);
        return true;
    }

    /// <summary>Every event this drive persisted: applied to the history and sent to the node.</summary>
    private void Applied(IFarmEvent farmEvent)
    {
        _history = RecorderHistory.Apply(_history, farmEvent);
        _setup.Node.Tell(new EventPersisted(PersistenceId, LastSequenceNr, farmEvent));
        if (farmEvent is DrivePaused or DriveResumed)
        {
            _status = _status with { Holds = [.. _history.Holds.Keys] };
        }
    }

    private void MoveTo(RecorderState next, bool force = false)
    {
        if (!force && _status.State != next && !RecorderTransitions.IsAllowed(_status.State, next))
        {
            throw new InvalidOperationException($"drive {DriveId}: {_status.State} -> {next} is not an allowed transition");
        }

        _status = _status with { State = next };
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The journal is down. Akka would stop the actor; crash it instead, so its supervisor
        // starts it again with back-off: an outage of the node's disk is a pause, not the drive's death.
        LogJournalFailed(DriveId, @event.GetType().Name, cause.Message);
        throw new JournalFailedException($"drive {DriveId}: the node journal did not store {@event.GetType().Name} #{sequenceNr}: {cause.Message}", cause);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        LogJournalFailed(DriveId, "recovery", reason.Message);
        throw new JournalFailedException($"drive {DriveId}: recovery from the node journal failed: {reason.Message}", reason);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // An event the journal refuses (it cannot be stored) would leave a step waiting for ever: crash, and recover.
        base.OnPersistRejected(cause, @event, sequenceNr);
        throw new InvalidOperationException($"drive {DriveId}: the journal rejected {@event.GetType().Name} #{sequenceNr}: {cause.Message}", cause);
    }

    protected override void PostStop()
    {
        // Release the handle at once, so a restart (or another process) can open the device again.
        _drive = null;
        if (_transport is { } open)
        {
            _transport = null;
            var closing = open.DisposeAsync();
            if (!closing.IsCompleted)
            {
                closing.AsTask().GetAwaiter().GetResult();
            }
        }

        base.PostStop();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Drive {DriveId}: job {JobId} copy {Copy} attempt {Attempt} was already taken; ignored")]
    private partial void LogDuplicate(string driveId, string jobId, int copy, int attempt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Drive {DriveId}: refused job {JobId} copy {Copy} while {State}")]
    private partial void LogRefused(string driveId, string jobId, int copy, RecorderState state);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} failed while {State}: {Reason}")]
    private partial void LogBurnFailed(string driveId, string jobId, int copy, RecorderState state, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Drive {DriveId} crashed while {State}: {Reason}")]
    private partial void LogCrashed(string driveId, RecorderState state, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "Drive {DriveId}: the device cannot be opened: {Reason}")]
    private partial void LogOpenFailed(string driveId, string reason);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "Drive {DriveId}: the node journal failed ({What}): {Reason}")]
    private partial void LogJournalFailed(string driveId, string what, string reason);
}
