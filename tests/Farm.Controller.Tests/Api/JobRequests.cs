using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// POST /api/jobs requests drawn from a seeded <see cref="Random"/>: a third valid, a third at the
/// edges of every field (0, limits, int overflow, huge and odd strings, nulls, wrong types), a
/// third malformed (cut-off JSON, random bytes, wrong content types, random headers). Each
/// request comes with a one-line description, so a failure names what was sent.
/// </summary>
internal sealed class JobRequests(int seed, string image, string oddImage, string folder)
{
    private static readonly string[] MediaNames = ["DVD+R", "CD-R", "BD-R", "DVD-R", "DVD+RW", "dvd+r", "DVD-Z", "", " ", "CD-R\u0000"];
    private static readonly string[] VerifyNames = ["None", "Quick", "Full", "full", "Sometimes", ""];
    private static readonly string[] Fields = ["image", "images", "masteredFrom", "copies", "media", "verify", "priority", "due", "maxAttempts", "label", "mergeFields"];

    /// <summary>Bytes that break JSON's structure when they land in the middle of it.</summary>
    private static readonly byte[] Breakers = "{}[]\",:\\0 "u8.ToArray().Append((byte)0xFF).ToArray();

    private readonly Random _random = new(seed);

    public (HttpRequestMessage Request, string Description) Next()
    {
        var kind = _random.Next(3);
        var (body, contentType) = kind switch
        {
            0 => (Encode(Valid()), "application/json"),
            1 => (Encode(Boundary()), "application/json"),
            _ => Malformed(),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (_random.Next(4) == 0)
        {
            // Printable ASCII only: the client itself refuses control characters in a header.
            request.Headers.TryAddWithoutValidation("Idempotency-Key", new string([.. Enumerable.Range(0, _random.Next(1, 300)).Select(_ => (char)_random.Next(33, 127))]));
        }

        var shown = body.Length > 300 ? Encoding.UTF8.GetString(body, 0, 300) + $"... ({body.Length} bytes)" : Encoding.UTF8.GetString(body);
        return (request, $"{(kind == 0 ? "valid" : kind == 1 ? "boundary" : "malformed")} [{contentType ?? "no content type"}] {shown}");
    }

    private Dictionary<string, object?> Valid()
    {
        var job = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["image"] = image,
            ["copies"] = _random.Next(1, 1000),
            ["media"] = MediaNames[_random.Next(5)],
            ["verify"] = VerifyNames[_random.Next(3)],
        };
        if (_random.Next(3) == 0)
        {
            job["priority"] = _random.Next(-10, 10);
        }

        if (_random.Next(3) == 0)
        {
            job["due"] = DateTimeOffset.UtcNow.AddHours(_random.Next(1, 100)).ToString("O", CultureInfo.InvariantCulture);
        }

        if (_random.Next(3) == 0)
        {
            job["maxAttempts"] = _random.Next(1, 10);
        }

        if (_random.Next(4) == 0)
        {
            job["label"] = "{job} copy {copy}";
        }

        return job;
    }

    /// <summary>A valid job with one to three fields pushed to or past their edges.</summary>
    private Dictionary<string, object?> Boundary()
    {
        var job = Valid();
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            var field = Fields[_random.Next(Fields.Length)];
            job[field] = EdgeOf(field);
        }

        return job;
    }

    private object? EdgeOf(string field) => _random.Next(12) switch
    {
        0 => null,
        1 => AnyString(_random.Next(0, 5000)),
        2 => new[] { 0, 1, -1, 100_000, 100_001, int.MaxValue, int.MinValue }[_random.Next(7)],
        3 => 1e300,
        4 => long.MaxValue,
        5 => new Dictionary<string, object?> { ["nested"] = new[] { 1, 2 } },
        6 => Array.Empty<object>(),
        7 => new object?[] { image, null, oddImage, folder, "relative.iso" },
        8 => _random.Next(2) == 0,
        _ => field switch
        {
            "image" or "masteredFrom" => new[] { oddImage, folder, "relative.iso", "/", "/dev/null", "/nonexistent/x.iso", image + "\u0000", new string('/', 5000), "C:\\x.iso", "//server/share/x.iso" }[_random.Next(10)],
            "images" => Enumerable.Repeat(image, _random.Next(0, 2000)).ToArray(),
            "copies" or "priority" or "maxAttempts" => new[] { 0, 1, -1, 100_000, 100_001, int.MaxValue, int.MinValue }[_random.Next(7)],
            "media" => MediaNames[_random.Next(MediaNames.Length)],
            "verify" => VerifyNames[_random.Next(VerifyNames.Length)],
            "due" => new[] { "tomorrow", "", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-13-45T99:99Z", "-1", DateTimeOffset.MaxValue.ToString("O", CultureInfo.InvariantCulture) }[_random.Next(7)],
            "label" => new[] { "{nope}", "{", "}", "{{}}", "{job}{copy}{drive}{disc}{date}", new string('{', 3000), "" }[_random.Next(7)],
            "mergeFields" => Enumerable.Range(0, _random.Next(0, 50)).Select(_ => new Dictionary<string, string> { [AnyString(_random.Next(0, 20))] = AnyString(_random.Next(0, 50)) }).ToArray(),
            _ => AnyString(20),
        },
    };

    private (byte[] Body, string? ContentType) Malformed()
    {
        var valid = Encode(Boundary());
        byte[] body;
        switch (_random.Next(7))
        {
            case 0:
                body = valid[.._random.Next(0, valid.Length)];
                break;
            case 1:
                body = new byte[_random.Next(0, 2000)];
                _random.NextBytes(body);
                break;
            case 2:
                body = valid.ToArray();
                for (var flips = _random.Next(1, 10); flips > 0 && body.Length > 0; flips--)
                {
                    body[_random.Next(body.Length)] = Breakers[_random.Next(Breakers.Length)];
                }

                break;
            case 3:
                body = Encoding.UTF8.GetBytes(new[] { "null", "[]", "1", "\"x\"", "true", "{}", "", "{\"image\":{\"image\":{\"image\":[[[[[[[[[[[[]]]]]]]]]]]]}}}", new string('[', 10_000) + new string(']', 10_000), "{\"" + AnyString(10) + "\": 1}", "{\"image\": \"a\", \"image\": \"b\"}" }[_random.Next(11)]);
                break;
            case 4:
                body = Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid));
                break;
            case 5:
                body = [0xEF, 0xBB, 0xBF, .. valid];
                break;
            default:
                body = valid;
                break;
        }

        string? contentType = _random.Next(5) switch
        {
            0 => null,
            1 => new[] { "text/plain", "application/xml", "application/json; charset=utf-16", "application/json; charset=nonsense", "multipart/form-data", "application/*", ";;;", "application/problem+json" }[_random.Next(8)],
            _ => "application/json",
        };
        return (body, contentType);
    }

    private static byte[] Encode(Dictionary<string, object?> job) => JsonSerializer.SerializeToUtf8Bytes(job);

    /// <summary>A string of any characters: ASCII, control characters, surrogates (paired or not), braces.</summary>
    private string AnyString(int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(_random.Next(6) switch
            {
                0 => (char)_random.Next(0, 32),
                1 => (char)_random.Next(0xD800, 0xE000),
                2 => "{}/\\\"%"[_random.Next(6)],
                3 => (char)_random.Next(0x80, 0xFFFF),
                _ => (char)_random.Next(32, 127),
            });
        }

        return builder.ToString();
    }
}
