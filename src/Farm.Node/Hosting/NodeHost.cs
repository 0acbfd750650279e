using Farm.Device.Towers;
using Farm.Device.Transports;
using Farm.Messages.Jobs;
using Farm.Node.Actors;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>A drive the node runs: its id and how to open its transport (again, after a restart).</summary>
public sealed record DriveSetup(string DriveId, Func<CancellationToken, Task<IScsiTransport>> OpenTransport);

/// <summary>A tower the node runs: its robot and the drives its arm serves.</summary>
public sealed record TowerSetup(ITowerRobot Robot, IReadOnlyList<DriveSetup> Drives);

/// <summary>
/// A node: one TowerActor per tower, one RecorderActor per drive, and the loop that tails the
/// controller's decisions in the journal and hands each current assignment for one of this node's
/// drives to that drive's actor. Actors drop assignments they already took, so re-reading the
/// journal after a restart is harmless.
/// </summary>
public sealed partial class NodeHost : IAsyncDisposable
{
    private readonly string nodeId;
    private readonly IJournal journal;
    private readonly ILogger logger;
    private readonly List<TowerActor> towers = [];
    private readonly Dictionary<string, RecorderActor> recorders = new(StringComparer.Ordinal);
    private readonly HashSet<(string, int, int)> dispatched = [];
    private readonly HashSet<(string, int, int)> abortsSent = [];
    private readonly ISnapshotStore? snapshots;
    private readonly Lock lifecycle = new();
    private bool stopped;

    public NodeHost(
        string nodeId,
        IJournal journal,
        IReadOnlyList<TowerSetup> setups,
        TimeProvider time,
        SupervisionOptions supervision,
        Func<string, string, string, RecorderOptions> recorderOptions,
        ILoggerFactory loggers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(setups);
        ArgumentNullException.ThrowIfNull(recorderOptions);
        ArgumentNullException.ThrowIfNull(loggers);
        this.nodeId = nodeId;
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        snapshots = journal as ISnapshotStore; // the node's own store: its local journal, or the one-host farm file
        logger = loggers.CreateLogger<NodeHost>();
        foreach (var setup in setups)
        {
            var tower = new TowerActor(setup.Robot, journal, new ActorContext(time, loggers.CreateLogger<TowerActor>(), supervision), OnTowerHoldChanged);
            towers.Add(tower);
            foreach (var drive in setup.Drives)
            {
                var options = recorderOptions(nodeId, setup.Robot.TowerId, drive.DriveId);
                recorders.Add(drive.DriveId, new RecorderActor(options, drive.OpenTransport, tower, journal, new ActorContext(time, loggers.CreateLogger<RecorderActor>(), supervision)));
            }
        }
    }

    public string NodeId => nodeId;

    /// <summary>The node's towers, for operator commands and tests.</summary>
    public IReadOnlyList<TowerActor> Towers => towers;

    /// <summary>Every drive's current status, for the node's console and tests.</summary>
    public IReadOnlyList<RecorderStatus> Drives => [.. recorders.Values.Select(r => r.Current)];

    /// <summary>Starts the actors, then tails the journal and dispatches assignments until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        lock (lifecycle)
        {
            // A host disposed before its loop got going (a quick shutdown) starts nothing.
            if (stopped || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            foreach (var tower in towers)
            {
                tower.Start();
            }

            foreach (var recorder in recorders.Values)
            {
                recorder.Start();
            }
        }

        var (book, after) = await RestoreTailAsync(cancellationToken).ConfigureAwait(false);
        var snapshotAt = after;
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await journal.ReadAllAsync(after, 2000, cancellationToken).ConfigureAwait(false);
            foreach (var entry in batch)
            {
                book = AssignmentBook.Apply(book, entry.Event);
                after = entry.Ordering;
            }

            if (batch.Count == 2000)
            {
                continue;
            }

            Dispatch(book);
            if (snapshots is not null && after - snapshotAt >= TailSnapshotEvery)
            {
                await snapshots.SaveSnapshotAsync(TailSnapshotIdOf(nodeId), after, book.ToSnapshot(after), cancellationToken).ConfigureAwait(false);
                snapshotAt = after;
            }

            try
            {
                await journal.WaitForNewEventsAsync(after, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>Journal orderings read between two snapshots of the node's tail (a restart reads at most this many plus what came since).</summary>
    public int TailSnapshotEvery
    {
        get => tailSnapshotEvery;
        init => tailSnapshotEvery = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "TailSnapshotEvery must be at least 1");
    }

    private readonly int tailSnapshotEvery = 5000;

    public static string TailSnapshotIdOf(string nodeId) => $"node-{nodeId}-tail-v1";

    /// <summary>The ordering the node's tail started after on its last start (0: the whole journal).</summary>
    public long RestoredFromOrdering { get; private set; }

    /// <summary>Where the last run's tail got to, with the assignments current there; the journal's start without a snapshot.</summary>
    private async Task<(AssignmentBook Book, long After)> RestoreTailAsync(CancellationToken cancellationToken)
    {
        if (snapshots is null)
        {
            return (AssignmentBook.Empty, 0);
        }

        try
        {
            if (await snapshots.LoadSnapshotAsync<AssignmentBookSnapshot>(TailSnapshotIdOf(nodeId), cancellationToken).ConfigureAwait(false) is { } saved)
            {
                RestoredFromOrdering = saved.State.AfterOrdering;
                return (AssignmentBook.FromSnapshot(saved.State), saved.State.AfterOrdering);
            }
        }
        catch (Exception unreadable) when (unreadable is System.Text.Json.JsonException or InvalidDataException)
        {
            LogTailSnapshotUnreadable(unreadable.Message); // only a shortcut: read the journal from its start
        }

        return (AssignmentBook.Empty, 0);
    }

    private void Dispatch(AssignmentBook book)
    {
        // Aborts first: an assignment aborted before its burn started must be stopped before it is handed over.
        foreach (var abort in book.Aborts.Values.Where(a => a.NodeId == nodeId))
        {
            if (recorders.TryGetValue(abort.DriveId, out var target) && abortsSent.Add((abort.JobId, abort.Copy, abort.Attempt)))
            {
                // Straight to the actor, not through its mailbox: the burn it would wait behind is the one to stop.
                target.RequestAbort(abort.JobId, abort.Copy, abort.Attempt, abort.Reason);
            }
        }

        foreach (var assignment in book.Current.Values.Where(a => a.NodeId == nodeId).OrderBy(a => a.JobId, StringComparer.Ordinal).ThenBy(a => a.Copy))
        {
            if (!recorders.TryGetValue(assignment.DriveId, out var recorder) || !dispatched.Add((assignment.JobId, assignment.Copy, assignment.Attempt)))
            {
                continue;
            }

            LogDispatch(assignment.DriveId, assignment.JobId, assignment.Copy, assignment.Attempt);
            recorder.Tell(new RecorderActor.Burn(assignment));
        }
    }

    /// <summary>Stops the actors, letting burns in progress finish (see <see cref="ShutdownAsync"/>).</summary>
    public ValueTask DisposeAsync() => new(ShutdownAsync(CancellationToken.None));

    /// <summary>
    /// Stops the drives, then the towers. A burn in progress finishes unless
    /// <paramref name="abortBurns"/> is cancelled: then it is cut short, its last position is
    /// persisted, and the next start reports the disc as interrupted.
    /// </summary>
    public async Task ShutdownAsync(CancellationToken abortBurns)
    {
        lock (lifecycle)
        {
            stopped = true;
        }

        await Task.WhenAll(recorders.Values.Select(r => r.StopAsync(abortBurns))).ConfigureAwait(false);

        // A stop whose token is already cancelled returns before the step it cut short has run its
        // clean-up (the drive's flush, the last position reaching the journal): wait for the loops
        // themselves, bounded, before the towers stop under them.
        try
        {
            await Task.WhenAll(recorders.Values.Select(r => r.Completion)).WaitAsync(ShutdownLimit, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception unfinished) when (unfinished is TimeoutException or OperationCanceledException)
        {
            LogShutdownUnfinished(ShutdownLimit);
        }

        foreach (var tower in towers)
        {
            await tower.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>How long a shutdown waits for drives to finish cutting their burns short.</summary>
    private static readonly TimeSpan ShutdownLimit = TimeSpan.FromMinutes(2);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "The node's tail snapshot cannot be read ({Reason}); reading the journal from its start")]
    private partial void LogTailSnapshotUnreadable(string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Shutdown: drives still busy after {Limit}; stopping anyway")]
    private partial void LogShutdownUnfinished(TimeSpan limit);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Drive {DriveId} gets job {JobId} copy {Copy} attempt {Attempt}")]
    private partial void LogDispatch(string driveId, string jobId, int copy, int attempt);
}
