using Farm.Messages;

namespace Farm.Node.Journal;

/// <summary>
/// The single writer of one stream: it knows the stream's sequence number, so its appends carry
/// the right expectation without a round trip. Owned by one actor; not thread-safe.
/// </summary>
public sealed class StreamAppender
{
    private readonly IJournal journal;
    private readonly string tags;

    private StreamAppender(IJournal journal, string persistenceId, string tags, long sequenceNr)
    {
        this.journal = journal;
        PersistenceId = persistenceId;
        this.tags = tags;
        SequenceNr = sequenceNr;
    }

    public string PersistenceId { get; }

    /// <summary>The sequence number of the last event in the stream (0 when empty).</summary>
    public long SequenceNr { get; private set; }

    /// <summary>Opens a stream and replays it: the events, in order, for the owner to fold into its state.</summary>
    public static async Task<(StreamAppender Stream, IReadOnlyList<JournalEntry> History)> OpenAsync(
        IJournal journal, string persistenceId, string tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var history = await journal.ReadStreamAsync(persistenceId, 1, cancellationToken).ConfigureAwait(false);
        return (new StreamAppender(journal, persistenceId, tags, history.Count == 0 ? 0 : history[^1].SequenceNr), history);
    }

    public async Task AppendAsync(IFarmEvent farmEvent, CancellationToken cancellationToken)
    {
        var stored = await journal.AppendAsync(PersistenceId, SequenceNr, [farmEvent], tags, cancellationToken).ConfigureAwait(false);
        SequenceNr = stored[^1].SequenceNr;
    }
}
