namespace Farm.Node.Journal;

/// <summary>Tuning of a <see cref="SqliteJournal"/>.</summary>
/// <param name="PollInterval">
/// How often <see cref="SqliteJournal.WaitForNewEventsAsync"/> looks at the file itself: the
/// in-process signal only sees appends made through the same instance, the poll sees appends
/// by other instances and processes on the same file.
/// </param>
/// <param name="BusyTimeout">How long a connection waits for another writer's lock before failing.</param>
public sealed record SqliteJournalOptions(TimeSpan PollInterval, TimeSpan BusyTimeout)
{
    public static SqliteJournalOptions Default { get; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value the journal cannot work with.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(BusyTimeout, TimeSpan.Zero, nameof(BusyTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BusyTimeout, TimeSpan.FromMilliseconds(int.MaxValue), nameof(BusyTimeout));
    }
}
