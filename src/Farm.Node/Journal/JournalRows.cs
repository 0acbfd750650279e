using Farm.Messages.Serialization;
using System.Data.Common;
using System.Text.Json;
using Farm.Messages;

namespace Farm.Node.Journal;

/// <summary>An event ready to be stored: its manifest and JSON payload, computed before any database work.</summary>
internal readonly record struct EncodedEvent(IFarmEvent Event, string Manifest, string Payload);

/// <summary>
/// What both journals do alike around their SQL: checking an append's arguments, turning events
/// into rows and rows back into <see cref="JournalEntry"/>.
/// </summary>
internal static class JournalRows
{
    /// <summary>The argument checks of <see cref="IJournal.AppendAsync"/>, before the journal looks at its own state.</summary>
    public static void ValidateAppend(string persistenceId, long expectedSequenceNr, IReadOnlyList<IFarmEvent> events, string tags)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedSequenceNr);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(tags);
    }

    /// <summary>Serializes every event up front: an unregistered event type fails here, touching nothing.</summary>
    public static List<EncodedEvent> Encode(IReadOnlyList<IFarmEvent> events) =>
        events.Select(e => new EncodedEvent(e, FarmManifests.ManifestOf(e), JsonSerializer.Serialize(e, e.GetType(), JournalJson.Options))).ToList();

    /// <summary>Now, cut to the milliseconds the timestamp column keeps: the entries returned must equal the ones read back.</summary>
    public static DateTimeOffset Timestamp(TimeProvider time) =>
        DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>
    /// Runs a query selecting (ordering, persistence_id, sequence_nr, manifest, payload as text,
    /// timestamp, tags) and maps each row to an entry; a manifest this build does not know throws
    /// <see cref="UnknownEventManifestException"/>.
    /// </summary>
    public static async Task<IReadOnlyList<JournalEntry>> ReadEntriesAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<JournalEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var ordering = reader.GetInt64(0);
            var manifest = reader.GetString(3);
            entries.Add(new JournalEntry(
                ordering,
                reader.GetString(1),
                reader.GetInt64(2),
                manifest,
                Deserialize(manifest, reader.GetString(4), ordering),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.GetString(6)));
        }

        return entries;
    }

    private static IFarmEvent Deserialize(string manifest, string payload, long ordering)
    {
        var type = FarmManifests.TypeOf(manifest) ?? throw new UnknownEventManifestException(manifest, ordering);
        return JsonSerializer.Deserialize(payload, type, JournalJson.Options) as IFarmEvent
            ?? throw new JsonException($"journal row at ordering {ordering} ({manifest}) has a null payload");
    }
}
