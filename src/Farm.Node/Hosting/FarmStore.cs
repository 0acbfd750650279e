using System.Data.Common;
using System.Globalization;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Farm.Node.Hosting;

public enum FarmStoreKind
{
    /// <summary>One SQLite file: the embedded farm, or several processes on one host.</summary>
    Sqlite = 0,

    /// <summary>PostgreSQL: the multi-host farm.</summary>
    Postgres = 1,
}

/// <summary>
/// Where the farm journal lives, as given to <c>--store</c>: <c>sqlite:/path/farm.db</c>,
/// <c>postgres://user[:password]@host[:port]/database[?key=value...]</c> (also <c>postgresql://</c>),
/// or an Npgsql connection string (<c>Host=...;Username=...;Database=...</c>).
/// </summary>
public sealed record FarmStore(FarmStoreKind Kind, string Target)
{
    /// <summary>Parses a <c>--store</c> value; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static FarmStore Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("--store is required: sqlite:/path/farm.db or postgres://user@host:port/database");
        }

        text = text.Trim();
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..]; // sqlite:///abs/path as well as sqlite:/abs/path
            }

            return string.IsNullOrWhiteSpace(path)
                ? throw new ArgumentException($"'{text}' names no file: use sqlite:/path/farm.db")
                : new FarmStore(FarmStoreKind.Sqlite, Path.GetFullPath(path));
        }

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new FarmStore(FarmStoreKind.Postgres, FromUri(text));
        }

        if (text.Contains('=', StringComparison.Ordinal))
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(text);
                return string.IsNullOrEmpty(builder.Host)
                    ? throw new ArgumentException($"the connection string '{Redact(text)}' has no Host")
                    : new FarmStore(FarmStoreKind.Postgres, builder.ConnectionString);
            }
            catch (Exception bad) when (bad is ArgumentException or KeyNotFoundException or FormatException)
            {
                throw new ArgumentException($"'{Redact(text)}' is not a valid Npgsql connection string: {bad.Message}", bad);
            }
        }

        throw new ArgumentException($"--store '{text}' is neither sqlite:/path/farm.db, postgres://user@host:port/database nor an Npgsql connection string (Host=...;Database=...)");
    }

    /// <summary>For messages: the store without its password.</summary>
    public override string ToString() => Kind == FarmStoreKind.Sqlite ? $"sqlite:{Target}" : Redact(Target);

    /// <summary>Opens the journal (creating its tables if missing). PostgreSQL errors propagate: the caller decides whether to retry.</summary>
    public async Task<IJournal> OpenAsync(TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return Kind == FarmStoreKind.Sqlite
            ? await SqliteJournal.OpenAsync(Target, time, cancellationToken).ConfigureAwait(false)
            : await PostgresJournal.OpenAsync(Target, time, PostgresJournalOptions.Default, loggers.CreateLogger<PostgresJournal>(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the journal, trying again every <paramref name="retryDelay"/> while the database is unreachable.</summary>
    public async Task<IJournal> OpenWithRetryAsync(TimeProvider time, ILoggerFactory loggers, TimeSpan retryDelay, Action<Exception> onFailure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onFailure);
        while (true)
        {
            try
            {
                return await OpenAsync(time, loggers, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (IsStoreFailure(failure) && !cancellationToken.IsCancellationRequested)
            {
                onFailure(failure);
            }

            await Task.Delay(retryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Failures a process outlives by waiting: the database is down or unreachable.</summary>
    public static bool IsStoreFailure(Exception failure) =>
        failure is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException
        || (failure is InvalidOperationException && failure.InnerException is DbException or IOException or System.Net.Sockets.SocketException);

    private static string FromUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(text)}' is not a valid postgres:// address (postgres://user@host:port/database)");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = value;
            }
            catch (Exception bad) when (bad is ArgumentException or KeyNotFoundException or FormatException)
            {
                throw new ArgumentException($"the postgres:// parameter '{key}' is not an Npgsql setting: {bad.Message}", bad);
            }
        }

        return builder.ConnectionString;
    }

    private static string Redact(string text)
    {
        try
        {
            if (text.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Contains(':', StringComparison.Ordinal))
            {
                return text.Replace(uri.UserInfo, uri.UserInfo[..uri.UserInfo.IndexOf(':', StringComparison.Ordinal)] + ":***", StringComparison.Ordinal);
            }

            var builder = new NpgsqlConnectionStringBuilder(text);
            if (!string.IsNullOrEmpty(builder.Password))
            {
                builder.Password = "***";
            }

            return string.Create(CultureInfo.InvariantCulture, $"{builder.ConnectionString}");
        }
        catch (Exception bad) when (bad is ArgumentException or KeyNotFoundException or FormatException)
        {
            return "(unreadable store address)";
        }
    }
}
