using Farm.Node.Journal;
using Farm.Testing;
using Npgsql;

namespace Farm.Node.Tests.Postgres;

/// <summary>A fresh database for one test, on a clock the test moves; disposes every journal it opened, then drops the database.</summary>
internal sealed class PostgresScope : IAsyncDisposable
{
    private readonly PostgresServer _server;
    private readonly List<IAsyncDisposable> _opened = [];

    private PostgresScope(PostgresServer server, string connectionString)
    {
        _server = server;
        ConnectionString = connectionString;
    }

    public ManualTimeProvider Time { get; } = new();

    public string ConnectionString { get; }

    public static PostgresJournalOptions Options { get; } = PostgresJournalOptions.Default with
    {
        PollInterval = TimeSpan.FromMilliseconds(250),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    public static async Task<PostgresScope> CreateAsync(PostgresServer server) => new(server, await server.CreateDatabaseAsync());

    public Task<PostgresJournal> OpenAsync() => OpenAsync(Time, Options);

    public async Task<PostgresJournal> OpenAsync(TimeProvider time, PostgresJournalOptions options) =>
        Track(await PostgresJournal.OpenAsync(ConnectionString, time, options, logger: null, CancellationToken.None));

    public T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        lock (_opened)
        {
            _opened.Add(disposable);
        }

        return disposable;
    }

    public async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return Track(connection);
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var opened in Enumerable.Reverse(_opened))
        {
            await opened.DisposeAsync();
        }

        await _server.DropDatabaseAsync(ConnectionString);
    }
}
