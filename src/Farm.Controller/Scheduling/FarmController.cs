using Farm.Messages.Views;
using Farm.Messages;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

/// <summary>A controller that found its decisions refused by the fence: another controller appended to the controller stream, so this one no longer leads.</summary>
public sealed class ControllerDeposedException : Exception
{
    public ControllerDeposedException() : base("another controller appended decisions; this one stepped down") { }

    public ControllerDeposedException(string message) : base(message) { }

    public ControllerDeposedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The controller: tails every event of the farm journal (by global ordering), folds it into
/// <see cref="FarmState"/> with <see cref="FarmProjection.Apply"/>, asks the
/// <see cref="Scheduler"/> what to do next and appends those decisions to its own stream with
/// the stream's expected sequence number (the fence against a second writer). It talks to nodes
/// only through the journal. The store may fail (database down): the controller waits and tries
/// again, and gives every node a full lease after it regains the store.
/// </summary>
public sealed partial class FarmController
{
    /// <summary>The stream of the controller's decisions.</summary>
    public const string StreamId = "controller";

    private const int BatchSize = 2000;

    private readonly IJournal journal;
    private readonly ISnapshotStore? snapshots;
    private readonly TimeProvider time;
    private readonly SchedulerOptions options;
    private readonly ILogger logger;
    private readonly bool stepDownWhenFenced;
    private readonly bool decides;
    private readonly TaskCompletionSource caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FarmState state = FarmState.Empty;
    private long decisionsSequenceNr = -1;
    private DateTimeOffset leaseFloor = DateTimeOffset.MinValue;
    private long appliedOwnThrough;

    /// <param name="stepDownWhenFenced">
    /// A multi-host controller (under a leader lock) treats a refused append as "another controller
    /// leads": <see cref="RunAsync"/> ends with <see cref="ControllerDeposedException"/>. The embedded
    /// farm re-reads the stream and carries on.
    /// </param>
    /// <param name="decides">
    /// False for an observer: it tails and folds the journal exactly as the leader does (for a
    /// console on any controller process, leader or standby) but never appends a decision.
    /// </param>
    public FarmController(IJournal journal, TimeProvider time, SchedulerOptions options, ILogger<FarmController> logger, bool stepDownWhenFenced = false, bool decides = true)
    {
        this.decides = decides;
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        snapshots = journal as ISnapshotStore; // both farm journals (SQLite, PostgreSQL) keep snapshots beside the events
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.stepDownWhenFenced = stepDownWhenFenced;
    }

    /// <summary>Jobs are submitted into a stream of their own, so a submitter never races the controller's stream.</summary>
    public static string JobStreamId(string jobId) => JobLedger.StreamIdOf(jobId);

    /// <summary>The latest state; replaced atomically, safe to read from any thread.</summary>
    public FarmState State => Volatile.Read(ref state);

    /// <summary>Completes once the controller has read the whole journal after starting.</summary>
    public Task CaughtUp => caughtUp.Task;

    public SchedulerOptions Options => options;

    /// <summary>Raised on the controller's loop after each event is applied (for the console and the demo's printout).</summary>
    public event Action<JournalEntry, FarmState>? Applied;

    /// <summary>Accepts a job: one event in a stream of its own. The controller picks it up from the journal.</summary>
    public async Task<string> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var jobId = await JobLedger.SubmitAsync(journal, request, time, cancellationToken).ConfigureAwait(false);
        LogJobSubmitted(jobId, request.Copies, request.ImagePath);
        return jobId;
    }

    /// <summary>Nothing more of the job is assigned until <see cref="ResumeJobAsync"/>; burns in flight finish.</summary>
    public Task HoldJobAsync(string jobId, string reason, CancellationToken cancellationToken) => JobLedger.HoldAsync(journal, jobId, reason, time, cancellationToken);

    public Task ResumeJobAsync(string jobId, CancellationToken cancellationToken) => JobLedger.ResumeAsync(journal, jobId, time, cancellationToken);

    /// <summary>Stops assigning at once; burns in flight finish and count, or with <paramref name="abortInFlight"/> are aborted and rejected.</summary>
    public Task CancelJobAsync(string jobId, bool abortInFlight, string reason, CancellationToken cancellationToken) =>
        JobLedger.CancelAsync(journal, jobId, abortInFlight, reason, time, cancellationToken);

    /// <summary>Catches up with the journal, then decides and tails until cancelled (or, when fenced with step-down, deposed).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var storeDown = true;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (storeDown)
                {
                    // After a start or an outage: our last append may have committed unseen, so the
                    // stream's head is read again; and every node gets a full lease from now.
                    decisionsSequenceNr = await journal.HighestSequenceNrAsync(StreamId, cancellationToken).ConfigureAwait(false);
                    leaseFloor = time.GetUtcNow();
                    await RestoreSnapshotAsync(cancellationToken).ConfigureAwait(false);
                    storeDown = false;
                }

                await StepAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (IsStoreFailure(failure))
            {
                LogStoreFailed(options.StoreRetryDelay, failure.Message);
                storeDown = true;
                try
                {
                    await Task.Delay(options.StoreRetryDelay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Store failures the controller outlives: the database is down or unreachable.</summary>
    public static bool IsStoreFailure(Exception failure) => Node.Hosting.FarmStore.IsStoreFailure(failure);

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        var upToDate = await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (!upToDate)
        {
            return;
        }

        if (decides)
        {
            await SaveSnapshotIfDueAsync(cancellationToken).ConfigureAwait(false);
        }

        caughtUp.TrySetResult();

        // Decide only on a state that holds our own last decisions: on PostgreSQL the tail reads up
        // to a safe watermark, which another process's open transaction can hold below an ordering
        // we just appended; deciding before we read it back would decide the same thing twice.
        var decisions = decides && State.LastOrdering >= appliedOwnThrough
            ? Scheduler.Decide(State, options, time.GetUtcNow(), leaseFloor)
            : [];
        if (decisions.Count > 0)
        {
            await AppendDecisionsAsync(decisions, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Woken by new events, or after the decide interval: a lease can expire without any event.
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        tick.CancelAfter(options.DecideInterval);
        try
        {
            await journal.WaitForNewEventsAsync(State.LastOrdering, tick.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads and applies the next batch; true when nothing newer is left.</summary>
    private async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        var batch = await journal.ReadAllAsync(State.LastOrdering, BatchSize, cancellationToken).ConfigureAwait(false);
        var observed = time.GetUtcNow();
        foreach (var entry in batch)
        {
            var next = FarmProjection.Apply(State, entry.Event, entry.Ordering, entry.Timestamp, observed);
            Volatile.Write(ref state, next);
            Applied?.Invoke(entry, next);
        }

        return batch.Count < BatchSize;
    }

    private async Task AppendDecisionsAsync(IReadOnlyList<IFarmEvent> decisions, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await journal.AppendAsync(StreamId, decisionsSequenceNr, decisions, "decision", cancellationToken).ConfigureAwait(false);
            decisionsSequenceNr = stored[^1].SequenceNr;
            appliedOwnThrough = stored[^1].Ordering;
            foreach (var decision in decisions)
            {
                LogDecision(decision);
            }
        }
        catch (JournalConcurrencyException fenced)
        {
            LogFenced(fenced.Message);
            if (stepDownWhenFenced)
            {
                throw new ControllerDeposedException($"decisions refused: {fenced.Message}", fenced);
            }

            // Someone else appended decisions: our view is stale. Re-read the stream's position;
            // the tail will bring their decisions in before we decide again.
            decisionsSequenceNr = await journal.HighestSequenceNrAsync(StreamId, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Job {JobId} submitted: {Copies} copies of {ImagePath}")]
    private partial void LogJobSubmitted(string jobId, int copies, string imagePath);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Decided {Decision}")]
    private partial void LogDecision(IFarmEvent decision);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Decisions refused, another writer appended first: {Reason}")]
    private partial void LogFenced(string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The farm journal failed; trying again in {Delay}: {Reason}")]
    private partial void LogStoreFailed(TimeSpan delay, string reason);
}
