using Farm.Messages;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>
/// The journal a node's actors and host see when the farm journal is on another machine: every
/// append and every replay of the node's own streams go to the node's LOCAL journal (a burn cannot
/// wait for a database), while the tail of the farm (the controller's decisions) reads the FARM
/// journal. A <see cref="JournalShipper"/> forwards the local events to the farm in order. The
/// actors keep appending to an <see cref="IJournal"/>, unchanged.
/// </summary>
/// <remarks>
/// While the farm journal is unreachable the tail returns nothing (after a pause) instead of
/// failing, so the node keeps burning what it already holds and resumes reading when it is back.
/// </remarks>
public sealed partial class NodeJournal : IJournal, ISnapshotStore
{
    private readonly IJournal local;
    private readonly IJournal farm;
    private readonly TimeProvider time;
    private readonly TimeSpan retryDelay;
    private readonly ILogger logger;

    public NodeJournal(IJournal local, IJournal farm, TimeProvider time, TimeSpan retryDelay, ILogger<NodeJournal> logger)
    {
        this.local = local ?? throw new ArgumentNullException(nameof(local));
        this.farm = farm ?? throw new ArgumentNullException(nameof(farm));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retryDelay, TimeSpan.Zero);
        this.retryDelay = retryDelay;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public Task<IReadOnlyList<JournalEntry>> AppendAsync(string persistenceId, long expectedSequenceNr, IReadOnlyList<IFarmEvent> events, string tags, CancellationToken cancellationToken) =>
        local.AppendAsync(persistenceId, expectedSequenceNr, events, tags, cancellationToken);

    public Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken) =>
        local.HighestSequenceNrAsync(persistenceId, cancellationToken);

    public Task<IReadOnlyList<JournalEntry>> ReadStreamAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        local.ReadStreamAsync(persistenceId, fromSequenceNr, cancellationToken);

    /// <summary>The node's snapshots (its tail position) are its own: in the local journal.</summary>
    public Task SaveSnapshotAsync<TState>(string persistenceId, long sequenceNr, TState state, CancellationToken cancellationToken)
        where TState : notnull =>
        local is ISnapshotStore store ? store.SaveSnapshotAsync(persistenceId, sequenceNr, state, cancellationToken) : Task.CompletedTask;

    public Task<SnapshotEntry<TState>?> LoadSnapshotAsync<TState>(string persistenceId, CancellationToken cancellationToken)
        where TState : notnull =>
        local is ISnapshotStore store ? store.LoadSnapshotAsync<TState>(persistenceId, cancellationToken) : Task.FromResult<SnapshotEntry<TState>?>(null);

    public async Task<IReadOnlyList<JournalEntry>> ReadAllAsync(long afterOrdering, int maxCount, CancellationToken cancellationToken)
    {
        try
        {
            return await farm.ReadAllAsync(afterOrdering, maxCount, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (FarmStore.IsStoreFailure(failure) && !cancellationToken.IsCancellationRequested)
        {
            LogFarmUnreachable(retryDelay, failure.Message);
            await Task.Delay(retryDelay, time, cancellationToken).ConfigureAwait(false);
            return [];
        }
    }

    public async Task WaitForNewEventsAsync(long afterOrdering, CancellationToken cancellationToken)
    {
        try
        {
            await farm.WaitForNewEventsAsync(afterOrdering, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (FarmStore.IsStoreFailure(failure) && !cancellationToken.IsCancellationRequested)
        {
            LogFarmUnreachable(retryDelay, failure.Message);
            await Task.Delay(retryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The two journals belong to the node's host, which disposes them.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [LoggerMessage(EventId = 2300, Level = LogLevel.Warning, Message = "The farm journal is unreachable; burning on from the local journal, reading again in {Delay}: {Reason}")]
    private partial void LogFarmUnreachable(TimeSpan delay, string reason);
}
