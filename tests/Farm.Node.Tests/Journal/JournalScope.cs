using Farm.Node.Journal;
using Farm.Testing;
using Microsoft.Data.Sqlite;

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
        lock (_opened)
        {
            _opened.Add(journal);
        }

        return journal;
    }

    /// <summary>A connection to the file that bypasses the journal (and the pool, so it keeps no file open).</summary>
    public async Task<SqliteConnection> ConnectAsync()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var journal in _opened)
        {
            await journal.DisposeAsync();
        }

        _directory.Dispose();
    }
}
