using Akka.Actor;
using Farm.Messages.Jobs;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

/// <summary>The supervisor gave up on a drive after <paramref name="Restarts"/> restarts in its window.</summary>
public sealed record DriveGaveUp(int Restarts, string LastFailure);

/// <summary>
/// A drive's stable address on the node and its recorder's supervisor. A recorder that crashes
/// (a dead device handle, a bug, a journal failure) is started again after a back-off
/// (<see cref="SupervisionOptions"/>): it re-opens the device and recovers from the journal. When
/// the budget is spent the supervisor gives up: the recorder is started in give-up mode, which
/// reports the copy in progress interrupted, rejects its disc and puts the drive in maintenance
/// with an event. Everything sent here goes to the current recorder; while none runs, status is
/// answered here and orders are dropped (the controller resends what must arrive).
/// </summary>
public sealed partial class DriveSupervisor : ReceiveActor, IWithTimers
{
    /// <summary>An operator put a given-up drive back in service: start it afresh with a full budget.</summary>
    internal sealed record ServiceRestored
    {
        public static readonly ServiceRestored Instance = new();
    }

    private sealed record Restart(bool GiveUp)
    {
        public static readonly Restart Normal = new(false);
    }

    private readonly RecorderSetup _setup;
    private readonly SupervisionOptions _supervision;
    private readonly ILogger _logger;
    private RestartBudget _budget;
    private IActorRef? _recorder;
    private Exception? _lastFailure;
    private DriveGaveUp? _gaveUp;
    private bool _restored;
    private bool _stopping;
    private int _incarnation;

    public DriveSupervisor(RecorderSetup setup, SupervisionOptions supervision)
    {
        _setup = setup;
        supervision.Validate();
        _supervision = supervision;
        _budget = new RestartBudget(supervision);
        _logger = setup.Loggers.CreateLogger<DriveSupervisor>();

        Receive<Terminated>(terminated => terminated.ActorRef.Equals(_recorder), _ => RecorderEnded());
        Receive<ServiceRestored>(_ => Sender.Equals(_recorder), _ =>
        {
            _restored = true;
            Context.Stop(_recorder!);
        });
        Receive<Restart>(restart => StartRecorder(restart.GiveUp ? _gaveUp : null));
        Receive<RecorderProtocol.GetStatus>(_ => _recorder is null, _ => Sender.Tell(new RecorderStatus(DriveId, RecorderState.Faulted, null, 0, -1, 0, 0, _lastFailure?.Message)));
        Receive<RecorderProtocol.StopDrive>(stop =>
        {
            _stopping = true;
            if (_recorder is null)
            {
                Sender.Tell(new RecorderProtocol.DriveStopped(DriveId, new RecorderStatus(DriveId, RecorderState.Offline, null, 0, -1, 0, 0, _lastFailure?.Message)));
                Context.Stop(Self);
                return;
            }

            _recorder.Forward(stop);
        });
        Receive<CopyAssigned>(_ => _recorder is null, assignment => LogDropped(DriveId, $"job {assignment.JobId} copy {assignment.Copy}"));
        ReceiveAny(message =>
        {
            if (_recorder is null)
            {
                LogDropped(DriveId, message.GetType().Name);
                return;
            }

            _recorder.Forward(message);
        });
    }

    public static Props Props(RecorderSetup setup, SupervisionOptions supervision)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(supervision);
        return Akka.Actor.Props.Create(() => new DriveSupervisor(setup, supervision));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string DriveId => _setup.Options.DriveId;

    protected override void PreStart() => StartRecorder(null);

    // A crash stops the recorder (no in-place restart): the back-off and the budget are ours.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
    {
        _lastFailure = cause;
        return Directive.Stop;
    });

    private void StartRecorder(DriveGaveUp? giveUp)
    {
        _lastFailure = null;
        _restored = false;
        _incarnation++;
        _recorder = Context.Watch(Context.ActorOf(RecorderActor.Props(_setup, giveUp), giveUp is null ? $"recorder-{_incarnation}" : $"recorder-{_incarnation}-maintenance"));
    }

    private void RecorderEnded()
    {
        _recorder = null;
        if (_stopping)
        {
            Context.Stop(Self);
            return;
        }

        if (_restored)
        {
            LogRestored(DriveId);
            _gaveUp = null;
            _budget = new RestartBudget(_supervision);
            StartRecorder(null);
            return;
        }

        var failure = _lastFailure ?? new InvalidOperationException($"the recorder of drive {DriveId} stopped on its own");
        if (_gaveUp is not null)
        {
            // Even the give-up run failed (the journal is down): try it again at the slowest pace.
            LogGiveUpFailed(DriveId, failure.Message);
            Timers.StartSingleTimer("restart", new Restart(true), _supervision.MaxBackoff);
            return;
        }

        if (_budget.TryTakeRestart(_setup.Time.GetUtcNow(), out var backoff))
        {
            LogRestartScheduled(DriveId, backoff, _budget.RecentRestarts, failure.Message);
            Timers.StartSingleTimer("restart", Restart.Normal, backoff);
            return;
        }

        _gaveUp = new DriveGaveUp(_budget.RecentRestarts, failure.Message);
        StartRecorder(_gaveUp);
    }

    [LoggerMessage(EventId = 2030, Level = LogLevel.Warning, Message = "Drive {DriveId}: the recorder restarts in {Backoff} (restart {Restarts} in the window): {Reason}")]
    private partial void LogRestartScheduled(string driveId, TimeSpan backoff, int restarts, string reason);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Error, Message = "Drive {DriveId}: putting the drive in maintenance failed, trying again: {Reason}")]
    private partial void LogGiveUpFailed(string driveId, string reason);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Information, Message = "Drive {DriveId}: back in service; the recorder starts afresh")]
    private partial void LogRestored(string driveId);

    [LoggerMessage(EventId = 2033, Level = LogLevel.Warning, Message = "Drive {DriveId}: no recorder is running (it restarts); dropped {What}")]
    private partial void LogDropped(string driveId, string what);
}
