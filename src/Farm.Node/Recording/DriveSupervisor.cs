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

    private readonly RecorderSetup setup;
    private readonly SupervisionOptions supervision;
    private readonly ILogger logger;
    private RestartBudget budget;
    private IActorRef? recorder;
    private Exception? lastFailure;
    private DriveGaveUp? gaveUp;
    private bool restored;
    private bool stopping;
    private int incarnation;

    public DriveSupervisor(RecorderSetup setup, SupervisionOptions supervision)
    {
        this.setup = setup;
        supervision.Validate();
        this.supervision = supervision;
        budget = new RestartBudget(supervision);
        logger = setup.Loggers.CreateLogger<DriveSupervisor>();

        Receive<Terminated>(terminated => terminated.ActorRef.Equals(recorder), _ => RecorderEnded());
        Receive<ServiceRestored>(_ => Sender.Equals(recorder), _ =>
        {
            restored = true;
            Context.Stop(recorder!);
        });
        Receive<Restart>(restart => StartRecorder(restart.GiveUp ? gaveUp : null));
        Receive<RecorderProtocol.GetStatus>(_ => recorder is null, _ => Sender.Tell(new RecorderStatus(DriveId, RecorderState.Faulted, null, 0, -1, 0, 0, lastFailure?.Message)));
        Receive<RecorderProtocol.StopDrive>(stop =>
        {
            stopping = true;
            if (recorder is null)
            {
                Sender.Tell(new RecorderProtocol.DriveStopped(DriveId, new RecorderStatus(DriveId, RecorderState.Offline, null, 0, -1, 0, 0, lastFailure?.Message)));
                Context.Stop(Self);
                return;
            }

            recorder.Forward(stop);
        });
        Receive<CopyAssigned>(_ => recorder is null, assignment => LogDropped(DriveId, $"job {assignment.JobId} copy {assignment.Copy}"));
        ReceiveAny(message =>
        {
            if (recorder is null)
            {
                LogDropped(DriveId, message.GetType().Name);
                return;
            }

            recorder.Forward(message);
        });
    }

    public static Props Props(RecorderSetup setup, SupervisionOptions supervision)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(supervision);
        return Akka.Actor.Props.Create(() => new DriveSupervisor(setup, supervision));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private string DriveId => setup.Options.DriveId;

    protected override void PreStart() => StartRecorder(null);

    // A crash stops the recorder (no in-place restart): the back-off and the budget are ours.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
    {
        lastFailure = cause;
        return Directive.Stop;
    });

    private void StartRecorder(DriveGaveUp? giveUp)
    {
        lastFailure = null;
        restored = false;
        incarnation++;
        recorder = Context.Watch(Context.ActorOf(RecorderActor.Props(setup with { FirstInProcess = incarnation == 1 }, giveUp), giveUp is null ? $"recorder-{incarnation}" : $"recorder-{incarnation}-maintenance"));
    }

    private void RecorderEnded()
    {
        recorder = null;
        if (stopping)
        {
            Context.Stop(Self);
            return;
        }

        if (restored)
        {
            LogRestored(DriveId);
            gaveUp = null;
            budget = new RestartBudget(supervision);
            StartRecorder(null);
            return;
        }

        var failure = lastFailure ?? new InvalidOperationException($"the recorder of drive {DriveId} stopped on its own");
        if (gaveUp is not null)
        {
            // Even the give-up run failed (the journal is down): try it again at the slowest pace.
            LogGiveUpFailed(DriveId, failure.Message);
            Timers.StartSingleTimer("restart", new Restart(true), supervision.MaxBackoff);
            return;
        }

        if (budget.TryTakeRestart(setup.Time.GetUtcNow(), out var backoff))
        {
            LogRestartScheduled(DriveId, backoff, budget.RecentRestarts, failure.Message);
            Timers.StartSingleTimer("restart", Restart.Normal, backoff);
            return;
        }

        gaveUp = new DriveGaveUp(budget.RecentRestarts, failure.Message);
        StartRecorder(gaveUp);
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
