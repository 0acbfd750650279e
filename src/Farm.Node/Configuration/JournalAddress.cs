using System.Globalization;
using Npgsql;

namespace Farm.Node.Configuration;

/// <summary>Where the farm's journal is: a SQLite file, or a PostgreSQL database (as an Npgsql connection string).</summary>
public sealed record JournalAddress(bool IsSqlite, string Target)
{
    /// <summary>
    /// "sqlite:PATH"; "postgres://user:password@host:port/database" or "postgresql://..." (URI);
    /// "postgres:Host=...;Database=..." (an Npgsql keyword string).
    /// </summary>
    public static bool TryParse(string text, out JournalAddress? address, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        address = null;
        problem = null;
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["sqlite:".Length..];
            if (string.IsNullOrWhiteSpace(path))
            {
                problem = "'sqlite:' needs a file path after it, e.g. \"sqlite:farm.db\"";
                return false;
            }

            address = new JournalAddress(true, path);
            return true;
        }

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Trim('/').Length == 0)
            {
                problem = $"'{text}' is not a PostgreSQL address; write it as postgres://user:password@host:5432/database";
                return false;
            }

            var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host, Database = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/')) };
            if (uri.Port > 0)
            {
                builder.Port = uri.Port;
            }

            if (uri.UserInfo.Length > 0)
            {
                var parts = uri.UserInfo.Split(':', 2);
                builder.Username = Uri.UnescapeDataString(parts[0]);
                if (parts.Length == 2)
                {
                    builder.Password = Uri.UnescapeDataString(parts[1]);
                }
            }

            address = new JournalAddress(false, builder.ConnectionString);
            return true;
        }

        if (text.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                address = new JournalAddress(false, new NpgsqlConnectionStringBuilder(text["postgres:".Length..]).ConnectionString);
                return true;
            }
            catch (ArgumentException bad)
            {
                problem = $"the Npgsql connection string after 'postgres:' is not valid: {bad.Message}";
                return false;
            }
        }

        problem = string.Create(CultureInfo.InvariantCulture, $"'{text}' is neither \"sqlite:PATH\" nor \"postgres://user:password@host:5432/database\"");
        return false;
    }

    /// <summary>For messages: the database without its password.</summary>
    public string Describe() => IsSqlite
        ? $"sqlite:{Target}"
        : new NpgsqlConnectionStringBuilder(Target) { Password = null }.ConnectionString;
}
