using Farm.Messages;

namespace Farm.Node.Journal;

/// <summary>One stored event: a row of the journal table.</summary>
/// <param name="Ordering">Global position, strictly increasing in commit order on SQLite.</param>
/// <param name="PersistenceId">The stream: "controller", "drive-{id}", "tower-{id}".</param>
/// <param name="SequenceNr">Position inside the stream, 1, 2, 3... without gaps.</param>
public sealed record JournalEntry(
    long Ordering,
    string PersistenceId,
    long SequenceNr,
    string Manifest,
    IFarmEvent Event,
    DateTimeOffset Timestamp,
    string Tags);

/// <summary>
/// Appending with a stale expected sequence number: another writer appended to the stream first.
/// For the controller stream this is the fence that stops a deposed leader.
/// </summary>
public sealed class JournalConcurrencyException : Exception
{
    public JournalConcurrencyException(string persistenceId, long expectedSequenceNr, long actualSequenceNr)
        : base($"stream '{persistenceId}' is at sequence {actualSequenceNr}, not {expectedSequenceNr}: another writer appended first")
    {
        PersistenceId = persistenceId;
        ExpectedSequenceNr = expectedSequenceNr;
        ActualSequenceNr = actualSequenceNr;
    }

    /// <summary>The same conflict, detected by the database's uniqueness check rather than by reading the stream's head.</summary>
    public JournalConcurrencyException(string persistenceId, long expectedSequenceNr, long actualSequenceNr, Exception inner)
        : base($"stream '{persistenceId}' is at sequence {actualSequenceNr}, not {expectedSequenceNr}: another writer appended first", inner)
    {
        PersistenceId = persistenceId;
        ExpectedSequenceNr = expectedSequenceNr;
        ActualSequenceNr = actualSequenceNr;
    }

    public JournalConcurrencyException() : base("concurrent append") { PersistenceId = ""; }

    public JournalConcurrencyException(string message) : base(message) { PersistenceId = ""; }

    public JournalConcurrencyException(string message, Exception inner) : base(message, inner) { PersistenceId = ""; }

    public string PersistenceId { get; }

    public long ExpectedSequenceNr { get; }

    public long ActualSequenceNr { get; }
}

/// <summary>
/// The event journal in the shape of Akka.Persistence.Sql: (ordering, persistence_id, sequence_nr,
/// manifest, payload JSON, timestamp, tags), (persistence_id, sequence_nr) unique. It is both the
/// actors' persistence and the farm's bus: consumers tail it by <see cref="JournalEntry.Ordering"/>.
/// </summary>
public interface IJournal : IAsyncDisposable
{
    /// <summary>
    /// Appends <paramref name="events"/> to a stream atomically. <paramref name="expectedSequenceNr"/>
    /// is the stream's current highest sequence number (0 for a new stream); if another writer moved
    /// it, nothing is written and <see cref="JournalConcurrencyException"/> is thrown.
    /// Returns the entries as stored.
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> AppendAsync(
        string persistenceId,
        long expectedSequenceNr,
        IReadOnlyList<IFarmEvent> events,
        string tags,
        CancellationToken cancellationToken);

    /// <summary>The stream's highest sequence number, 0 if it has none.</summary>
    Task<long> HighestSequenceNrAsync(string persistenceId, CancellationToken cancellationToken);

    /// <summary>A stream's events with sequence number &gt;= <paramref name="fromSequenceNr"/>, in order (replay).</summary>
    Task<IReadOnlyList<JournalEntry>> ReadStreamAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="maxCount"/> events of all streams with ordering &gt; <paramref name="afterOrdering"/>,
    /// in ordering. Only events safe to read are returned: none committed later may get a lower ordering.
    /// </summary>
    Task<IReadOnlyList<JournalEntry>> ReadAllAsync(long afterOrdering, int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// Completes when an event with ordering &gt; <paramref name="afterOrdering"/> may exist (an
    /// in-process signal, a database notification or a short poll), or when cancelled.
    /// </summary>
    Task WaitForNewEventsAsync(long afterOrdering, CancellationToken cancellationToken);
}
