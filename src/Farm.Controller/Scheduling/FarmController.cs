using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

/// <summary>A job as a user submits it, before it has an id.</summary>
/// <param name="AllowResume">A disc interrupted on rewritable media may be resumed instead of rejected.</param>
/// <param name="Label">Printed on each disc by towers with a printer; merge fields {job} {copy} {date} {drive} {disc}.</param>
public sealed record JobRequest(string ImagePath, long ImageBlocks, int Copies, VerifyMode Verify, string MediaType, int Priority = 0, bool AllowResume = false, string? Label = null);

/// <summary>
/// The controller: tails every event of the farm journal (by global ordering), folds it into
/// <see cref="FarmState"/> with <see cref="FarmProjection.Apply"/>, asks the
/// <see cref="Scheduler"/> what to do next and appends those decisions to its own stream with
/// the stream's expected sequence number (the fence against a second writer). It talks to nodes
/// only through the journal.
/// </summary>
public sealed partial class FarmController
{
    /// <summary>The stream of the controller's decisions.</summary>
    public const string StreamId = "controller";

    /// <summary>Jobs are submitted into a stream of their own, so a submitter never races the controller's stream.</summary>
    public static string JobStreamId(string jobId) => $"job-{jobId}";

    private const int BatchSize = 2000;

    private readonly IJournal journal;
    private readonly TimeProvider time;
    private readonly SchedulerOptions options;
    private readonly ILogger logger;
    private readonly TaskCompletionSource caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FarmState state = FarmState.Empty;
    private long decisionsSequenceNr = -1;

    public FarmController(IJournal journal, TimeProvider time, SchedulerOptions options, ILogger<FarmController> logger)
    {
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The latest state; replaced atomically, safe to read from any thread.</summary>
    public FarmState State => Volatile.Read(ref state);

    /// <summary>Completes once the controller has read the whole journal after starting.</summary>
    public Task CaughtUp => caughtUp.Task;

    /// <summary>Raised on the controller's loop after each event is applied (for the console and the demo's printout).</summary>
    public event Action<JournalEntry, FarmState>? Applied;

    /// <summary>Accepts a job: one event in a stream of its own. The controller picks it up from the journal.</summary>
    public async Task<string> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Copies < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Copies, "a job needs at least one copy");
        }

        var now = time.GetUtcNow();
        var jobId = $"{now:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        await journal.AppendAsync(
            JobStreamId(jobId),
            0,
            [new JobSubmitted(jobId, request.ImagePath, request.ImageBlocks, request.Copies, request.Verify, request.MediaType, request.Priority, now, request.AllowResume, request.Label)],
            "job",
            cancellationToken).ConfigureAwait(false);
        LogJobSubmitted(jobId, request.Copies, request.ImagePath);
        return jobId;
    }

    /// <summary>Catches up with the journal, then decides and tails until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        decisionsSequenceNr = await journal.HighestSequenceNrAsync(StreamId, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            var upToDate = await CatchUpAsync(cancellationToken).ConfigureAwait(false);
            if (!upToDate)
            {
                continue;
            }

            caughtUp.TrySetResult();
            var decisions = Scheduler.Decide(State, options, time.GetUtcNow());
            if (decisions.Count > 0)
            {
                await AppendDecisionsAsync(decisions, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await journal.WaitForNewEventsAsync(State.LastOrdering, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Reads and applies the next batch; true when nothing newer is left.</summary>
    private async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        var batch = await journal.ReadAllAsync(State.LastOrdering, BatchSize, cancellationToken).ConfigureAwait(false);
        foreach (var entry in batch)
        {
            var next = FarmProjection.Apply(State, entry.Event, entry.Ordering);
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
            foreach (var decision in decisions)
            {
                LogDecision(decision);
            }
        }
        catch (JournalConcurrencyException fenced)
        {
            // Someone else appended decisions: our view is stale. Re-read the stream's position;
            // the tail will bring their decisions in before we decide again.
            LogFenced(fenced.Message);
            decisionsSequenceNr = await journal.HighestSequenceNrAsync(StreamId, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Job {JobId} submitted: {Copies} copies of {ImagePath}")]
    private partial void LogJobSubmitted(string jobId, int copies, string imagePath);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Decided {Decision}")]
    private partial void LogDecision(IFarmEvent decision);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Decisions refused, another writer appended first: {Reason}")]
    private partial void LogFenced(string reason);
}
