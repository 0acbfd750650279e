using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The in-memory journal, telling the event stream what each AtomicWrite held (one
/// <see cref="JournalWrote"/> per write, in write order) before writing it: an AtomicWrite is what
/// the SQL journals write in one transaction, so the events of one <see cref="JournalWrote"/> are
/// in the journal all together or not at all.
/// </summary>
public sealed class WriteRecordingJournal : MemoryJournal
{
    public const string Hocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.recording"
        akka.persistence.journal.recording.class = "Farm.Controller.Tests.Scheduling.WriteRecordingJournal, Farm.Controller.Tests"
        akka.persistence.journal.recording.plugin-dispatcher = "akka.actor.default-dispatcher"
        """;

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        foreach (var write in writes)
        {
            var persistents = (IImmutableList<IPersistentRepresentation>)write.Payload;
            Context.System.EventStream.Publish(new JournalWrote(write.PersistenceId, [.. persistents.Select(p => p.Payload)]));
        }

        return base.WriteMessagesAsync(writes, cancellationToken);
    }
}

/// <summary>One AtomicWrite of <paramref name="PersistenceId"/>: its events, in order.</summary>
public sealed record JournalWrote(string PersistenceId, IReadOnlyList<object> Events);
