using Akka.Actor;
using Akka.Persistence;
using Farm.Device.Towers;
using Farm.Messages;
using Farm.Messages.Towers;
using Farm.Node.Cluster;
using Farm.Node.Persistence;
using Farm.Node.Reporting;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Towers;

/// <summary>The tower needs an operator (<paramref name="Held"/>) or no longer does; its drives pause and resume with it.</summary>
public sealed record TowerHoldChanged(string TowerId, bool Held, string Why);

/// <summary>How a tower actor is made.</summary>
/// <param name="Robot">Builds the robot from the tower's recovered history (a simulated tower's bins are what its journal says; a media changer ignores it).</param>
/// <param name="Node">Receives every persisted event (<see cref="EventPersisted"/>) and every <see cref="TowerHoldChanged"/>.</param>
public sealed record TowerActorSetup(string TowerId, Func<TowerHistory, ITowerRobot> Robot, IActorRef Node, ILoggerFactory Loggers)
{
    /// <summary>Events between two snapshots (taken when no move is running and the controller confirmed every event).</summary>
    public int SnapshotEvery { get; init; } = 200;
}

/// <summary>
/// One tower's arm, bins and printer, persisted as "tower-{id}" in the node's journal. Moves arrive
/// as messages and run one at a time (orders wait while the arm moves), so two drives can never send
/// the arm two ways at once; every move, bin level, label and alert is an event. A fault a person
/// must fix (input empty, a bin full, arm jam, two discs picked, printer fault) raises an alert that
/// stands until an operator clears it; while any stands the tower is held and its drives take no copies.
/// </summary>
public sealed partial class TowerActor : ReceivePersistentActor
{
    private readonly TowerActorSetup _setup;
    private readonly ILogger _logger;
    private readonly List<(long SequenceNr, IFarmEvent Event)> _replayed = [];
    private ITowerRobot? _robot;
    private TowerHistory _history = TowerHistory.Empty;
    private long _confirmedUpTo;
    private long _snapshotAt;

    public TowerActor(TowerActorSetup setup)
    {
        _setup = setup;
        _logger = setup.Loggers.CreateLogger<TowerActor>();
        PersistenceId = PersistenceIdOf(setup.TowerId);
        JournalPluginId = FarmPersistence.NodeJournalId;
        SnapshotPluginId = FarmPersistence.NodeSnapshotId;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is TowerSnapshot snapshot)
            {
                _history = snapshot.ToHistory();
                _snapshotAt = _confirmedUpTo = offer.Metadata.SequenceNr;
            }
        });
        Recover<IFarmEvent>(farmEvent =>
        {
            _history = TowerHistory.Apply(_history, farmEvent);
            _replayed.Add((LastSequenceNr, farmEvent));
        });
        Recover<RecoveryCompleted>(_ => Recovered());
        Busy();
    }

    public static Props Props(TowerActorSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return Akka.Actor.Props.Create(() => new TowerActor(setup));
    }

    public static string PersistenceIdOf(string towerId) => $"tower-{towerId}";

    public override string PersistenceId { get; }

    private string TowerId => _setup.TowerId;

    private ITowerRobot Robot => _robot ?? throw new InvalidOperationException($"tower {TowerId} has not recovered yet");

    /// <summary>A move's outcome: the events to persist, then the answer for whoever asked.</summary>
    private sealed record MoveDone(Move Move, object? Answer, IActorRef ReplyTo);

    private sealed record MoveFailed(Exception Cause, IActorRef ReplyTo);

    private void Recovered()
    {
        foreach (var (sequenceNr, farmEvent) in _replayed)
        {
            _setup.Node.Tell(new EventPersisted(PersistenceId, sequenceNr, farmEvent));
        }

        _replayed.Clear();
        _robot = _setup.Robot(_history);
        if (_history.Alerts.Count > 0)
        {
            // Alerts outlive a restart: the drives of a held tower stay paused.
            _setup.Node.Tell(new TowerHoldChanged(TowerId, true, string.Join("; ", _history.Alerts.Values)));
        }

        Run(async move =>
        {
            await ReportBinsAsync(move, CancellationToken.None).ConfigureAwait(false);
            return null;
        }, ActorRefs.Nobody);
    }

    /// <summary>Waiting for orders.</summary>
    private void Ready()
    {
        Become(() =>
        {
            Common();
            Command<TowerProtocol.LoadBlank>(load => Run(move => LoadAsync(move, load), Sender));
            Command<TowerProtocol.Unload>(unload => Run(move => UnloadAsync(move, unload), Sender));
            Command<TowerProtocol.ClearAlert>(clear => Run(async move => new TowerProtocol.AlertAnswer(await ClearAsync(move, clear.Alert, clear.By).ConfigureAwait(false)), Sender));
            Command<TowerProtocol.Refilled>(refilled => Run(move => RefilledAsync(move, refilled), Sender));
        });
        Stash.UnstashAll();
        SnapshotIfDue();
    }

    /// <summary>The arm is moving (or the tower is recovering): orders wait their turn.</summary>
    private void Busy()
    {
        Common();
        Command<MoveDone>(done => Commit(done));
        Command<MoveFailed>(failed =>
        {
            // A bug, not a tower fault: answer the drive waiting for the arm, then crash (and recover).
            failed.ReplyTo.Tell(new TowerProtocol.ArmFailed(TowerFault.ArmJam, $"tower {TowerId} failed: {failed.Cause.Message}"));
            throw new InvalidOperationException($"tower {TowerId}: a move failed: {failed.Cause.Message}", failed.Cause);
        });
        CommandAny(_ => Stash.Stash());
    }

    private void Common()
    {
        Command<TowerProtocol.GetAlerts>(_ => Sender.Tell(new TowerProtocol.Alerts(TowerId, _history.Alerts)));
        Command<EventConfirmed>(confirmed => _confirmedUpTo = Math.Max(_confirmedUpTo, confirmed.SequenceNr));
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
            DeleteMessages(saved.Metadata.SequenceNr);
        });
        Command<SaveSnapshotFailure>(failed => LogSnapshotFailed(TowerId, failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed => LogSnapshotFailed(TowerId, failed.Cause.Message));
        Command<DeleteMessagesFailure>(failed => LogSnapshotFailed(TowerId, failed.Cause.Message));
    }

    /// <summary>Runs one move off the mailbox; its events are persisted when it is done, before the next order.</summary>
    private void Run(Func<Move, Task<object?>> work, IActorRef replyTo)
    {
        var move = new Move(_history);
        Become(Busy);
        Task.Run(() => work(move), CancellationToken.None).PipeTo(
            Self,
            success: answer => new MoveDone(move, answer, replyTo),
            failure: cause => new MoveFailed(cause is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : cause, replyTo));
    }

    private void Commit(MoveDone done)
    {
        var wasHeld = _history.Alerts.Count > 0;
        void Finish()
        {
            var held = _history.Alerts.Count > 0;
            if (held != wasHeld)
            {
                _setup.Node.Tell(new TowerHoldChanged(TowerId, held, held ? string.Join("; ", _history.Alerts.Values) : done.Move.ReleasedBecause ?? "alerts cleared"));
            }

            if (done.Answer is not null)
            {
                done.ReplyTo.Tell(done.Answer);
            }

            Ready();
        }

        if (done.Move.Events.Count == 0)
        {
            Finish();
            return;
        }

        var persisted = 0;
        PersistAll(done.Move.Events, farmEvent =>
        {
            _history = TowerHistory.Apply(_history, farmEvent);
            _setup.Node.Tell(new EventPersisted(PersistenceId, LastSequenceNr, farmEvent));
            if (++persisted == done.Move.Events.Count)
            {
                Finish();
            }
        });
    }

    private void SnapshotIfDue()
    {
        if (LastSequenceNr - _snapshotAt >= _setup.SnapshotEvery && _confirmedUpTo >= LastSequenceNr)
        {
            _snapshotAt = LastSequenceNr;
            SaveSnapshot(TowerSnapshot.Of(_history));
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Crash instead of Akka's stop: the node's back-off supervisor starts the tower again.
        LogJournalFailed(TowerId, cause.Message);
        throw new JournalFailedException($"tower {TowerId}: the node journal did not store {@event.GetType().Name} #{sequenceNr}: {cause.Message}", cause);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        LogJournalFailed(TowerId, reason.Message);
        throw new JournalFailedException($"tower {TowerId}: recovery from the node journal failed: {reason.Message}", reason);
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Tower {TowerId}: snapshot bookkeeping failed: {Reason}")]
    private partial void LogSnapshotFailed(string towerId, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Tower {TowerId}: the node journal failed: {Reason}")]
    private partial void LogJournalFailed(string towerId, string reason);
}
