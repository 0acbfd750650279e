using System.Text;
using System.Text.Json.Nodes;

namespace Farm.Node.Tests.Fuzzing;

/// <summary>
/// Generated <c>node.json</c> files from one seed: a valid configuration (two simulated towers)
/// as a start, then each file takes a few mutations from a table: a field removed, set to another
/// JSON type or to a number at or past its bounds, an unknown field, ids duplicated or empty, long
/// or odd strings, many drives, then possibly damage to the text itself (cut short, a character
/// inserted, bytes that are not UTF-8, an empty file, a JSON value that is not an object).
/// </summary>
internal sealed class NodeConfigFiles(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly JsonNode?[] Odd =
    [
        null, JsonValue.Create(0), JsonValue.Create(-1), JsonValue.Create(1), JsonValue.Create(0.0001), JsonValue.Create(1e308), JsonValue.Create(3601),
        JsonValue.Create(100_001), JsonValue.Create(long.MaxValue), JsonValue.Create(""), JsonValue.Create("x"), JsonValue.Create(true),
        JsonValue.Create(new string('d', 5000)), JsonValue.Create("smc:/dev/nowhere"), JsonValue.Create("\0"), JsonValue.Create("../../etc"),
        JsonValue.Create("DVD+R"), JsonValue.Create("BD-R"), JsonValue.Create("LTO"),
    ];

    /// <summary>Characters that break JSON's structure when inserted anywhere.</summary>
    private const string Breaking = "{}[],:\"\\/x0 \n";

    public sealed record Generated(byte[] Bytes, string Description);

    public Generated Next()
    {
        var root = Valid();
        var made = new List<string>();
        for (var m = _random.Next(0, 4); m > 0; m--)
        {
            made.Add(Mutate(root));
        }

        var text = root.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (_random.Next(12))
        {
            case 0:
                bytes = bytes[.._random.Next(bytes.Length)];
                made.Add($"cut to {bytes.Length} bytes");
                break;
            case 1:
                var at = _random.Next(bytes.Length);
                bytes = [.. bytes[..at], (byte)Breaking[_random.Next(Breaking.Length)], .. bytes[at..]];
                made.Add($"a character inserted at byte {at}");
                break;
            case 2:
                bytes = [.. bytes[..(bytes.Length / 2)], 0xC3, 0x28, 0xFF, .. bytes[(bytes.Length / 2)..]];
                made.Add("bytes that are not UTF-8");
                break;
            case 3:
                var other = new[] { "", "null", "[]", "42", "\"towers\"", "{", "// only a comment", "{\"towers\": [],}" }[_random.Next(8)];
                bytes = Encoding.UTF8.GetBytes(other);
                made.Add($"the whole file is '{other}'");
                break;
        }

        return new Generated(bytes, made.Count == 0 ? "valid" : string.Join("; ", made));
    }

    private static JsonObject Valid() => new()
    {
        ["timeScale"] = 10,
        ["progress"] = new JsonObject { ["intervalSeconds"] = 1, ["megabytes"] = 32 },
        ["towers"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "T1",
                ["robot"] = "simulated",
                ["printer"] = true,
                ["loadSeconds"] = 8,
                ["unloadSeconds"] = 6,
                ["printSeconds"] = 40,
                ["bins"] = new JsonObject
                {
                    ["input"] = new JsonObject { ["media"] = "DVD+R", ["capacity"] = 100 },
                    ["output"] = new JsonObject { ["capacity"] = 100 },
                    ["reject"] = new JsonObject { ["capacity"] = 50 },
                },
                ["drives"] = new JsonArray(new JsonObject { ["id"] = "T1-D1", ["simulate"] = "DVD+R" }, new JsonObject { ["id"] = "T1-D2", ["simulate"] = "DVD+R", ["writeSpeed"] = 8 }),
            },
            new JsonObject
            {
                ["id"] = "T2",
                ["robot"] = "simulated",
                ["bins"] = new JsonObject { ["input"] = new JsonObject { ["media"] = "BD-R", ["capacity"] = 10 } },
                ["drives"] = new JsonArray(new JsonObject { ["id"] = "T2-D1", ["simulate"] = "BD-R" }),
            }),
    };

    /// <summary>Every object in the tree with the path to it, to pick one to change.</summary>
    private static List<(string Path, JsonObject Node)> Objects(JsonNode node, string path)
    {
        var found = new List<(string, JsonObject)>();
        switch (node)
        {
            case JsonObject o:
                found.Add((path, o));
                foreach (var (key, child) in o.ToList())
                {
                    if (child is not null)
                    {
                        found.AddRange(Objects(child, $"{path}.{key}"));
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item)
                    {
                        found.AddRange(Objects(item, $"{path}[{i}]"));
                    }
                }

                break;
        }

        return found;
    }

    private string Mutate(JsonObject root)
    {
        var objects = Objects(root, "$");
        var (path, target) = objects[_random.Next(objects.Count)];
        var keys = target.Select(p => p.Key).ToList();
        switch (_random.Next(7))
        {
            case 0 when keys.Count > 0:
                var gone = keys[_random.Next(keys.Count)];
                target.Remove(gone);
                return $"{path}.{gone} removed";
            case 1 when keys.Count > 0:
                var changed = keys[_random.Next(keys.Count)];
                var value = Odd[_random.Next(Odd.Length)];
                target[changed] = value?.DeepClone();
                return $"{path}.{changed} = {value?.ToJsonString() ?? "null"}";
            case 2 when keys.Count > 0:
                var typed = keys[_random.Next(keys.Count)];
                target[typed] = _random.Next(3) switch { 0 => new JsonArray(1, "two"), 1 => new JsonObject { ["x"] = 1 }, _ => JsonValue.Create("text") };
                return $"{path}.{typed} changed type";
            case 3:
                target["unexpected" + _random.Next(10)] = 1;
                return $"unknown field in {path}";
            case 4:
                if (root["towers"] is JsonArray towers && towers.Count > 0 && towers[0] is JsonObject first)
                {
                    towers.Add(first.DeepClone());
                    return "a tower duplicated (same ids)";
                }

                return "no tower to duplicate";
            case 5:
                if (root["towers"] is JsonArray list && list.Count > 0 && list[0] is JsonObject tower && tower["drives"] is JsonArray drives)
                {
                    var count = _random.Next(1, 300);
                    for (var i = 0; i < count; i++)
                    {
                        drives.Add(new JsonObject { ["id"] = $"X-{i}", ["simulate"] = "DVD+R" });
                    }

                    return $"{count} more drives in the first tower";
                }

                return "no drives to add to";
            default:
                root["towers"] = _random.Next(3) switch { 0 => new JsonArray(), 1 => null, _ => JsonValue.Create("T1") };
                return $"towers = {root["towers"]?.ToJsonString() ?? "null"}";
        }
    }
}
