using System.Data.Common;
using System.Text.Json;

namespace Farm.Node.Journal;

/// <summary>
/// What both snapshot stores do alike around their SQL. The manifest is the state's full type
/// name; loading checks it against the type asked for rather than resolving a type named by the
/// database.
/// </summary>
internal static class SnapshotRows
{
    /// <summary>The argument checks of <see cref="ISnapshotStore.SaveSnapshotAsync{TState}"/>.</summary>
    public static void ValidateSave<TState>(string persistenceId, long sequenceNr, TState state)
        where TState : notnull
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(sequenceNr);
        ArgumentNullException.ThrowIfNull(state);
    }

    public static string Manifest<TState>() => typeof(TState).FullName ?? typeof(TState).Name;

    public static string Serialize<TState>(TState state)
        where TState : notnull
        => JsonSerializer.Serialize(state, JournalJson.Options);

    /// <summary>
    /// Runs a query selecting (sequence_nr, created, manifest, payload) of at most one snapshot of
    /// <paramref name="persistenceId"/>: null without a row, else the state, checked to be a <typeparamref name="TState"/>.
    /// </summary>
    public static async Task<SnapshotEntry<TState>?> ReadLatestAsync<TState>(DbCommand command, string persistenceId, CancellationToken cancellationToken)
        where TState : notnull
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var sequenceNr = reader.GetInt64(0);
        var manifest = reader.GetString(2);
        if (manifest != Manifest<TState>())
        {
            throw new InvalidDataException(
                $"snapshot of '{persistenceId}' at sequence {sequenceNr} is a '{manifest}', not the '{Manifest<TState>()}' asked for");
        }

        var state = JsonSerializer.Deserialize<TState>(reader.GetString(3), JournalJson.Options)
            ?? throw new InvalidDataException($"snapshot of '{persistenceId}' at sequence {sequenceNr} has a null payload");
        return new SnapshotEntry<TState>(persistenceId, sequenceNr, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), state);
    }
}
