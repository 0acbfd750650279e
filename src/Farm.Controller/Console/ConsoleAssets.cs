using System.Collections.Frozen;
using System.Reflection;

namespace Farm.Controller.OperatorConsole;

/// <summary>
/// The console's static files (page, scripts, styles), embedded in the assembly so a farm without
/// internet serves them, read once at start and served by name.
/// </summary>
internal sealed class ConsoleAssets
{
    private const string Prefix = "Farm.Controller.Console.assets.";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly FrozenDictionary<string, Asset> _assets;

    private ConsoleAssets(FrozenDictionary<string, Asset> assets) => _assets = assets;

    /// <summary>One file: its bytes and content type.</summary>
    public sealed record Asset(byte[] Content, string ContentType);

    public IEnumerable<string> Names => _assets.Keys;

    public static ConsoleAssets Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var found = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var type))
            {
                throw new InvalidOperationException($"the console asset {name} has a type the console does not serve; add its extension to ConsoleAssets");
            }

            found[name] = new Asset(Read(assembly, resource), type);
        }

        if (!found.ContainsKey("index.html"))
        {
            throw new InvalidOperationException("the console page (index.html) is missing from the assembly's resources");
        }

        return new ConsoleAssets(found.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public Asset? Find(string name) => _assets.GetValueOrDefault(name);

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the console asset {resource} cannot be read from the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
