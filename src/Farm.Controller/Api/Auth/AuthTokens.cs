using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Farm.Controller.Api.Auth;

/// <summary>One caller of the API: a name for logs and <c>/api/whoami</c>, a role, and the SHA-256 of its token.</summary>
public sealed record ApiToken(string Name, string Role, byte[] Sha256);

/// <summary>
/// The tokens of <c>--auth FILE</c>: <c>{"tokens":[{"name":"ops","role":"operator","token":"..."}]}</c>,
/// a token given either as itself or as <c>"sha256"</c> (the hex SHA-256 of its UTF-8 bytes), so the
/// file need not hold secrets. Only hashes are kept in memory; a presented token is hashed and
/// compared in constant time with every one.
/// </summary>
public sealed class AuthTokens
{
    private static readonly string[] EntryFields = ["name", "role", "token", "sha256"];

    private readonly IReadOnlyList<ApiToken> _tokens;

    public AuthTokens(IReadOnlyList<ApiToken> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
    }

    public IReadOnlyList<ApiToken> Tokens => _tokens;

    /// <summary>The caller the token belongs to, or null.</summary>
    public ApiToken? Find(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        ApiToken? found = null;
        foreach (var candidate in _tokens)
        {
            // Every entry is compared, so the time taken does not say which one matched.
            if (CryptographicOperations.FixedTimeEquals(candidate.Sha256, hash))
            {
                found ??= candidate;
            }
        }

        return found;
    }

    /// <summary>Reads and checks the file; <see cref="ArgumentException"/> says what is wrong in it and how to fix it.</summary>
    public static AuthTokens Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception bad) when (bad is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--auth {path}: cannot read it ({bad.Message})", bad);
        }

        try
        {
            return Parse(text);
        }
        catch (ArgumentException bad)
        {
            throw new ArgumentException($"--auth {path}: {bad.Message}", bad);
        }
    }

    /// <summary>Parses the file's text; <see cref="ArgumentException"/> names the entry and field at fault.</summary>
    public static AuthTokens Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        const string Shape = "the file must be {\"tokens\":[{\"name\":\"ops\",\"role\":\"operator\",\"token\":\"...\"}]} (or \"sha256\":\"<hex>\" instead of \"token\")";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException bad)
        {
            throw new ArgumentException($"not valid JSON ({bad.Message}); {Shape}", bad);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("tokens", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                throw new ArgumentException(Shape);
            }

            var tokens = new List<ApiToken>();
            var index = 0;
            foreach (var entry in list.EnumerateArray())
            {
                tokens.Add(Entry(entry, index++));
            }

            if (tokens.Count == 0)
            {
                throw new ArgumentException($"it lists no tokens, so nobody could use the API; {Shape}");
            }

            var sameToken = tokens.GroupBy(t => Convert.ToHexString(t.Sha256)).FirstOrDefault(g => g.Count() > 1);
            if (sameToken is not null)
            {
                throw new ArgumentException($"tokens {string.Join(" and ", sameToken.Select(t => $"'{t.Name}'"))} are the same token; give each caller its own");
            }

            return new AuthTokens(tokens);
        }
    }

    private static ApiToken Entry(JsonElement entry, int index)
    {
        var at = $"tokens[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"{at} must be an object with name, role and token (or sha256)");
        }

        var unknown = entry.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !EntryFields.Contains(n, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new ArgumentException($"{at} has an unknown field '{unknown}'; an entry takes {string.Join(", ", EntryFields)}");
        }

        var name = Text(entry, "name", at) ?? throw new ArgumentException($"{at} needs a \"name\" (who uses the token, shown by /api/whoami)");
        var role = Text(entry, "role", at);
        if (ApiRoles.Rank(role) < 0)
        {
            throw new ArgumentException($"{at} ('{name}') has role '{role}'; the roles are {string.Join(", ", ApiRoles.All)}");
        }

        var token = Text(entry, "token", at);
        var sha256 = Text(entry, "sha256", at);
        if ((token is null) == (sha256 is null))
        {
            throw new ArgumentException($"{at} ('{name}') needs exactly one of \"token\" (the token itself) or \"sha256\" (the hex SHA-256 of its UTF-8 bytes, e.g. printf %s TOKEN | sha256sum)");
        }

        if (token is not null)
        {
            return new ApiToken(name, role!, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        }

        if (sha256!.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"{at} ('{name}') has sha256 '{sha256}', which is not 64 hex digits (printf %s TOKEN | sha256sum)");
        }

        return new ApiToken(name, role!, Convert.FromHexString(sha256));
    }

    private static string? Text(JsonElement entry, string field, string at)
    {
        if (!entry.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ArgumentException($"{at}.{field} must be a string");
        return string.IsNullOrWhiteSpace(text) ? throw new ArgumentException($"{at}.{field} is empty") : text;
    }
}
