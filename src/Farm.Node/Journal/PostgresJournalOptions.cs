namespace Farm.Node.Journal;

/// <summary>Tuning of a <see cref="PostgresJournal"/>.</summary>
/// <param name="PollInterval">
/// How often <see cref="PostgresJournal.WaitForNewEventsAsync"/> looks at the table itself when no
/// notification woke it: the fallback for a lost notification, a listening connection that is
/// down, or a safe watermark moved by a transaction that appended nothing (see
/// <see cref="PostgresJournal.ReadAllAsync"/>).
/// </param>
/// <param name="ReconnectMinDelay">The first wait before the listening connection is reopened after it broke.</param>
/// <param name="ReconnectMaxDelay">The longest wait between reconnection attempts (the delay doubles up to it).</param>
public sealed record PostgresJournalOptions(TimeSpan PollInterval, TimeSpan ReconnectMinDelay, TimeSpan ReconnectMaxDelay)
{
    public static PostgresJournalOptions Default { get; } = new(
        PollInterval: TimeSpan.FromSeconds(1),
        ReconnectMinDelay: TimeSpan.FromMilliseconds(250),
        ReconnectMaxDelay: TimeSpan.FromSeconds(10));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value the journal cannot work with.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMinDelay, TimeSpan.Zero, nameof(ReconnectMinDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectMaxDelay, ReconnectMinDelay, nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ReconnectMaxDelay, TimeSpan.FromDays(1), nameof(ReconnectMaxDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PollInterval, TimeSpan.FromDays(1), nameof(PollInterval));
    }
}
