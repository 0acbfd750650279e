using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Journal;
using Farm.Testing;

namespace Farm.Node.Tests.Journal;

/// <summary>A real journal file in a temporary folder, on a clock the test moves; disposes every journal it opened, then the folder.</summary>
internal sealed class JournalScope : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("farm-journal");
    private readonly List<SqliteJournal> _opened = [];

    public ManualTimeProvider Time { get; } = new();

    public string DatabasePath => _directory.PathOf("journal.db");

    public static SqliteJournalOptions Options { get; } = SqliteJournalOptions.Default with { PollInterval = TimeSpan.FromMilliseconds(250) };

    public async Task<SqliteJournal> OpenAsync()
    {
        var journal = await SqliteJournal.OpenAsync(DatabasePath, Time, Options, CancellationToken.None);
        _opened.Add(journal);
        return journal;
    }

    public static IReadOnlyList<IFarmEvent> DriveEvents(string driveId, int count) =>
        Enumerable.Range(1, count)
            .Select(i => (IFarmEvent)new SectorsWritten(driveId, "job-1", 1, i * 16L, 2_295_104, 11_080_000.5 + i))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var journal in _opened)
        {
            await journal.DisposeAsync();
        }

        _directory.Dispose();
    }
}
