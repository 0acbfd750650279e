using Akka.Actor;
using Akka.Persistence;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

/// <summary>
/// The farm controller: a cluster singleton on the controller role, persistent on the farm's
/// database. Its state is the <see cref="FarmState"/> folded from its own events with
/// <see cref="FarmProjection.Apply"/> (live and on replay alike); its decisions are those of the
/// pure <see cref="Scheduler"/>, persisted before anyone hears of them, in the same write as the events they were taken on. Nodes register with it,
/// report what their drives and towers persisted by Akka.Delivery (applied once per source and
/// sequence number, confirmed only after it is persisted), and are told their assignments, aborts
/// and operator commands. A second incarnation can never append beside the first: the journal's
/// unique (persistence id, sequence number) refuses it.
/// </summary>
public sealed partial class FarmControllerActor : ReceivePersistentActor, IWithTimers
{
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private FarmState _state = FarmState.Empty;
    private DateTimeOffset _startedDeciding = DateTimeOffset.MaxValue;
    private long _snapshotAt;

    /// <summary>When this incarnation last saved a snapshot (none yet: the first is due on the event count alone).</summary>
    private DateTimeOffset _snapshotTime = DateTimeOffset.MinValue;

    /// <summary>A decision write is in the journal's hands: its events are not in <see cref="_state"/> yet.</summary>
    private bool _writing;

    /// <summary>Writes asked for while another was in flight, in order; each is decided once the one before it is applied.</summary>
    private readonly Queue<(IReadOnlyList<IFarmEvent> Events, Action? Then)> _waitingForWrite = new();

    public FarmControllerActor(SchedulerOptions options, TimeProvider time, ILogger<FarmControllerActor> logger)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is FarmState saved)
            {
                _state = saved.WithOrdinalKeys().Indexed(); // the scheduler's index is not in a snapshot: built once here
                _snapshotAt = offer.Metadata.SequenceNr;
                LogSnapshotRestored(offer.Metadata.SequenceNr, _state.Jobs.Count, _state.Drives.Count);
            }
        });
        Recover<IFarmEvent>(e => _state = FarmProjection.Apply(_state, e, LastSequenceNr, StoredAt(e)));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<SubmitJob>(Submit);
        Command<ControlJob>(Control);
        Command<GetFarmState>(_ => Sender.Tell(_state));
        Command<Tick>(_ => OnTick());
        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed => LogSnapshotUnsaved(failed.Metadata.SequenceNr, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
        NodeCommands();
        ClaimCommands();
        OperatorCommands();
    }

    public override string PersistenceId => FarmControllerKey.PersistenceId;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the singleton, under a back-off supervisor: a journal that fails (database down) makes a pause, not a death.</summary>
    public static Props PropsFor(SchedulerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var child = Props.Create(() => new FarmControllerActor(options, time, loggers.CreateLogger<FarmControllerActor>()));
        return Akka.Pattern.BackoffSupervisor.Props(Akka.Pattern.Backoff.OnStop(
            child,
            "controller",
            options.StoreRetryDelay,
            TimeSpan.FromMinutes(1),
            0.2,
            maxNrOfRetries: -1));
    }

    private static DateTimeOffset? StoredAt(IFarmEvent e) => e switch
    {
        Messages.Nodes.NodeReported reported => reported.ReceivedAt,
        _ => null,
    };

    private void OnRecovered()
    {
        _startedDeciding = _time.GetUtcNow();
        LogRecovered(LastSequenceNr, _snapshotAt, _state.Jobs.Count, _state.Nodes.Count);
        Timers.StartPeriodicTimer("tick", Tick.Instance, _options.DecideInterval);
        SubscribeToMembership();
        Decide();
    }

    private void Submit(SubmitJob submit)
    {
        var job = submit.Job;
        if (_state.Jobs.ContainsKey(job.JobId))
        {
            Sender.Tell(new JobAccepted(job.JobId, AlreadyKnown: true));
            return;
        }

        if (job.Label is not null && LabelPrinters.Problem(_state, job.MediaType) is { } noPrinter)
        {
            // Refused, not burned without its labels (the hot folder and the API both submit here).
            Sender.Tell(new CommandRefused(noPrinter));
            return;
        }

        var sender = Sender;
        PersistAndDecide([job], () =>
        {
            LogJobSubmitted(job.JobId, job.Copies, job.ImagePath);
            sender.Tell(new JobAccepted(job.JobId, AlreadyKnown: false));
        });
    }

    private void Control(ControlJob control)
    {
        if (!_state.Jobs.TryGetValue(control.JobId, out var job))
        {
            Sender.Tell(new CommandRefused($"there is no job '{control.JobId}'", NotFound: true));
            return;
        }

        var now = _time.GetUtcNow();
        IFarmEvent? change = control.Control switch
        {
            JobControl.Hold when job.Status == JobStatus.Running => new JobHeld(job.JobId, control.Reason, now),
            JobControl.Resume when job.Status == JobStatus.Held => new JobResumed(job.JobId, now),
            JobControl.Cancel when job.Status is JobStatus.Running or JobStatus.Held => new JobCancelled(job.JobId, control.AbortInFlight, control.Reason, now),
            _ => null,
        };
        if (change is null)
        {
            Sender.Tell(new CommandRefused($"job {job.JobId} is {job.Status.ToString().ToLowerInvariant()}: it cannot be {Past(control.Control)}"));
            return;
        }

        var sender = Sender;
        PersistAndDecide([change], () => sender.Tell(new CommandAccepted($"job {job.JobId} {Past(control.Control)}")));
    }

    private static string Past(JobControl control) => control switch
    {
        JobControl.Hold => "held",
        JobControl.Resume => "resumed",
        _ => "cancelled",
    };

    /// <summary>
    /// Persists events in order together with the decisions the scheduler takes on the state with
    /// them applied, in one write (one AtomicWrite: all of it is in the journal or none of it);
    /// then applies each, runs <paramref name="then"/>, and sends the decisions. So a report and
    /// the assignment it made possible cost one journal round trip, not two, and a decision is
    /// never in the journal without the events it was taken on (nor sent before both are).
    /// </summary>
    private void PersistAndDecide(IReadOnlyList<IFarmEvent> events, Action? then = null)
    {
        if (_writing)
        {
            // Decisions taken now would be taken on a state without the write in flight (its events
            // and decisions are applied only as the journal confirms them), and could repeat them:
            // this write waits for that one (docs/RELIABILITY.md §4, soak 3).
            _waitingForWrite.Enqueue((events, then));
            return;
        }

        var (decisions, settled) = DecisionsAfter(events);
        IReadOnlyList<IFarmEvent> write = decisions.Count == 0 ? events : [.. events, .. decisions];
        if (write.Count == 0)
        {
            then?.Invoke();
            return;
        }

        var left = write.Count;
        _writing = true;
        PersistAll(write, e =>
        {
            Applied(e);
            if (--left == 0)
            {
                _writing = false;
                then?.Invoke();
                foreach (var decision in decisions)
                {
                    LogDecision(decision);
                    Send(decision);
                }

                SnapshotIfDue();
                if (!settled)
                {
                    Decide();
                }

                while (!_writing && _waitingForWrite.TryDequeue(out var waiting))
                {
                    PersistAndDecide(waiting.Events, waiting.Then);
                }
            }
        });
    }

    /// <summary>One persisted event into the state, and onto the local event stream (the demo's printout, the console).</summary>
    private void Applied(IFarmEvent e)
    {
        _state = FarmProjection.Apply(_state, e, LastSequenceNr, StoredAt(e));
        Context.System.EventStream.Publish(new FarmEventApplied(e, _state));
    }

    private void SnapshotIfDue()
    {
        var now = _time.GetUtcNow();
        if (LastSequenceNr - _snapshotAt >= _options.SnapshotEvery && now - _snapshotTime >= _options.SnapshotMinInterval)
        {
            _snapshotAt = LastSequenceNr;
            _snapshotTime = now;
            SaveSnapshot(_state);
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        LogJournalFailed(sequenceNr, cause.Message);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        LogJournalFailed(LastSequenceNr, reason.Message);
        base.OnRecoveryFailure(reason, message);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // A rejected write (a unique key refused): another incarnation appended at this number.
        // Stop: the back-off supervisor starts us again, and recovery reads what the other wrote.
        LogJournalFailed(sequenceNr, $"write rejected ({cause.Message}); restarting to read the journal again");
        Context.Stop(Self);
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Job {JobId} submitted: {Copies} copies of {ImagePath}")]
    private partial void LogJobSubmitted(string jobId, int copies, string imagePath);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The farm's journal failed at event {SequenceNr}: {Reason}; the controller restarts with back-off")]
    private partial void LogJournalFailed(long sequenceNr, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Restored the farm from its snapshot at event {SequenceNr} ({Jobs} jobs, {Drives} drives); reading the journal after it")]
    private partial void LogSnapshotRestored(long sequenceNr, int jobs, int drives);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Error, Message = "The farm's state at event {SequenceNr} could not be saved as a snapshot: {Reason}")]
    private partial void LogSnapshotUnsaved(long sequenceNr, string reason);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "Farm controller recovered at event {SequenceNr} (snapshot at {SnapshotAt}): {Jobs} jobs, {Nodes} nodes known")]
    private partial void LogRecovered(long sequenceNr, long snapshotAt, int jobs, int nodes);
}

/// <summary>A controller event was persisted and applied (published on the local event stream of the singleton's process).</summary>
public sealed record FarmEventApplied(IFarmEvent Event, FarmState State);
