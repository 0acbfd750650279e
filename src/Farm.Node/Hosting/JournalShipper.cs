using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>
/// Forwards a node's local journal to the farm journal, in the local order, whenever the farm is
/// reachable. Each event keeps its stream and sequence number, so shipping is idempotent: an event
/// the farm already holds (shipped before a crash, or before the answer to an append was lost) is
/// recognised by the stream's head (or refused by the (persistence_id, sequence_nr) uniqueness,
/// which surfaces as <see cref="JournalConcurrencyException"/>) and skipped, never written twice.
/// Nothing is lost: the local journal keeps every event, and the shipper starts over from its
/// beginning after a restart, skipping what the farm has.
/// </summary>
public sealed partial class JournalShipper
{
    private const int BatchSize = 500;

    private readonly IJournal local;
    private readonly IJournal farm;
    private readonly TimeProvider time;
    private readonly TimeSpan retryDelay;
    private readonly ILogger logger;
    private readonly Dictionary<string, long> farmHeads = new(StringComparer.Ordinal);
    private long shippedThrough;
    private long shippedEvents;

    public JournalShipper(IJournal local, IJournal farm, TimeProvider time, TimeSpan retryDelay, ILogger<JournalShipper> logger)
    {
        this.local = local ?? throw new ArgumentNullException(nameof(local));
        this.farm = farm ?? throw new ArgumentNullException(nameof(farm));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryDelay, TimeSpan.Zero);
        this.retryDelay = retryDelay;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The local ordering up to which every event is in the farm journal.</summary>
    public long ShippedThrough => Interlocked.Read(ref shippedThrough);

    /// <summary>Events this shipper appended to the farm (not counting those it found already there).</summary>
    public long ShippedEvents => Interlocked.Read(ref shippedEvents);

    /// <summary>Ships until cancelled; waits and tries again while the farm journal is unreachable.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var unreachable = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var shipped = await ShipAvailableAsync(cancellationToken).ConfigureAwait(false);
                if (unreachable)
                {
                    LogReachableAgain(ShippedThrough);
                    unreachable = false;
                }

                if (shipped == 0)
                {
                    await local.WaitForNewEventsAsync(ShippedThrough, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (FarmStore.IsStoreFailure(failure))
            {
                // An append whose answer was lost may have committed: forget the heads and read them again.
                farmHeads.Clear();
                if (!unreachable)
                {
                    LogUnreachable(retryDelay, failure.Message);
                    unreachable = true;
                }

                try
                {
                    await Task.Delay(retryDelay, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Ships what the local journal holds now, one batch after another; returns how many local events it went through.</summary>
    public async Task<int> ShipAvailableAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var batch = await local.ReadAllAsync(ShippedThrough, BatchSize, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return total;
            }

            var start = 0;
            while (start < batch.Count)
            {
                // One append per run of consecutive events of one stream, in local order.
                var end = start;
                while (end + 1 < batch.Count && batch[end + 1].PersistenceId == batch[start].PersistenceId)
                {
                    end++;
                }

                await ShipRunAsync(batch.Skip(start).Take(end - start + 1).ToList(), cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref shippedThrough, batch[end].Ordering);
                start = end + 1;
            }

            total += batch.Count;
        }
    }

    private async Task ShipRunAsync(List<JournalEntry> run, CancellationToken cancellationToken)
    {
        var stream = run[0].PersistenceId;
        for (var attempt = 1; ; attempt++)
        {
            if (!farmHeads.TryGetValue(stream, out var head))
            {
                head = await farm.HighestSequenceNrAsync(stream, cancellationToken).ConfigureAwait(false);
                farmHeads[stream] = head;
            }

            var missing = run.Where(e => e.SequenceNr > head).ToList();
            if (missing.Count == 0)
            {
                return; // shipped before
            }

            if (missing[0].SequenceNr != head + 1)
            {
                throw new InvalidOperationException(
                    $"the farm journal holds stream '{stream}' up to {head}, but the next local event is {missing[0].SequenceNr}: events {head + 1}..{missing[0].SequenceNr - 1} are missing from the farm (was the local journal replaced?)");
            }

            try
            {
                await farm.AppendAsync(stream, head, [.. missing.Select(e => e.Event)], missing[0].Tags, cancellationToken).ConfigureAwait(false);
                farmHeads[stream] = missing[^1].SequenceNr;
                Interlocked.Add(ref shippedEvents, missing.Count);
                return;
            }
            catch (JournalConcurrencyException) when (attempt < 5)
            {
                // The farm already holds some of them (an earlier append committed though its
                // answer was lost, or another shipper of this node's journal): read the head again.
                farmHeads.Remove(stream);
                LogAlreadyShipped(stream, head);
            }
        }
    }

    [LoggerMessage(EventId = 2310, Level = LogLevel.Warning, Message = "The farm journal is unreachable; events stay in the local journal, shipping again in {Delay}: {Reason}")]
    private partial void LogUnreachable(TimeSpan delay, string reason);

    [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "The farm journal is reachable again; shipped through local ordering {Ordering}")]
    private partial void LogReachableAgain(long ordering);

    [LoggerMessage(EventId = 2312, Level = LogLevel.Debug, Message = "Stream {Stream} moved past {Head} in the farm journal: events already shipped are skipped")]
    private partial void LogAlreadyShipped(string stream, long head);
}
