namespace Farm.Node.Journal;

/// <summary>An actor's state at one sequence number of its stream, so recovery replays only what follows.</summary>
public sealed record SnapshotEntry<TState>(string PersistenceId, long SequenceNr, DateTimeOffset Created, TState State)
    where TState : notnull;

/// <summary>Snapshots next to the journal (Akka.Persistence.Sql's <c>snapshot</c> table).</summary>
public interface ISnapshotStore
{
    /// <summary>Stores <paramref name="state"/> as the stream's state after <paramref name="sequenceNr"/>; saving the same sequence again replaces it.</summary>
    Task SaveSnapshotAsync<TState>(string persistenceId, long sequenceNr, TState state, CancellationToken cancellationToken)
        where TState : notnull;

    /// <summary>The stream's snapshot with the highest sequence number, or null if it has none.</summary>
    Task<SnapshotEntry<TState>?> LoadSnapshotAsync<TState>(string persistenceId, CancellationToken cancellationToken)
        where TState : notnull;
}
