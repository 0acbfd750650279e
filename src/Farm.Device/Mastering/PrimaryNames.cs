using System.Text;

namespace Farm.Device.Mastering;

/// <summary>
/// ISO 9660 identifiers for the primary tree (ECMA-119 7.5, 7.6, 10). Only d-characters
/// (A-Z, 0-9, _) survive: letters are upper-cased, every other character becomes '_'. A file
/// identifier is NAME.EXT;1 (the separator is always there, 7.5.1), the extension being what
/// follows the last dot that is not the first character. Level 1: name up to 8, extension up to
/// 3, directories up to 8 (10.1). Level 2: name and extension together up to 30, directories up
/// to 31 (10.2); the extension keeps at most 10 characters, the name gets the rest.
/// Collisions in one folder are resolved in the order of the real names (ordinal): the later
/// name's tail gives way to "_1", "_2", ... until it is unique, so the same folder always gets
/// the same names.
/// </summary>
internal static class PrimaryNames
{
    public const string Version = ";1";

    /// <summary>Identifiers for the children of one folder, in the order given (sorted by real name).</summary>
    public static void Assign(IReadOnlyList<IsoNode> children, int level)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var identifiers = new List<string>(children.Count);
        foreach (var child in children)
        {
            var (name, extension) = Split(child);
            var (nameMax, extensionMax) = Limits(child is IsoDirectory, level, extension.Length);
            extension = extension[..Math.Min(extension.Length, extensionMax)];
            var identifier = Compose(Cut(name, nameMax), extension, child is IsoDirectory);
            for (var n = 1; !taken.Add(identifier); n++)
            {
                var suffix = "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                identifier = Compose(Cut(name, nameMax - suffix.Length) + suffix, extension, child is IsoDirectory);
            }

            identifiers.Add(identifier);
        }

        IsoNode.SetPrimaryIdentifiers(children, identifiers);
    }

    /// <summary>
    /// 9.3: records sort by file name, then extension (each as if padded with spaces), then by
    /// version (all ours are 1). A plain ordinal sort of "NAME.EXT;1" would be wrong: ';' sorts
    /// after the digits.
    /// </summary>
    public static int Compare(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var (leftName, leftExtension) = Parts(left);
        var (rightName, rightExtension) = Parts(right);
        var byName = ComparePadded(left[leftName], right[rightName]);
        return byName != 0 ? byName : ComparePadded(left[leftExtension], right[rightExtension]);
    }

    /// <summary>The upper-cased d-character form of any text ('_' for everything else).</summary>
    public static string DCharacters(ReadOnlySpan<char> text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var upper = char.ToUpperInvariant(c);
            result.Append(upper is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' ? upper : '_');
        }

        return result.ToString();
    }

    private static (string Name, string Extension) Split(IsoNode node)
    {
        var name = node.NameSpan;
        var dot = name.LastIndexOf('.');
        return node is IsoDirectory || dot <= 0
            ? (DCharacters(name), "")
            : (DCharacters(name[..dot]), DCharacters(name[(dot + 1)..]));
    }

    private static (int Name, int Extension) Limits(bool directory, int level, int extensionLength) => (directory, level) switch
    {
        (true, 1) => (8, 0),
        (true, _) => (31, 0),
        (false, 1) => (8, 3),
        _ => (30 - Math.Min(extensionLength, 10), 10),
    };

    // A name cut to nothing would leave "." alone; keep at least one character (10.1, 7.5.1).
    private static string Cut(string name, int max) => name.Length == 0 ? "_" : name[..Math.Clamp(max, 1, name.Length)];

    private static string Compose(string name, string extension, bool directory) =>
        directory ? name : $"{name}.{extension}{Version}";

    /// <summary>Where the name and the extension are in an identifier (ranges: a sort compares without copying).</summary>
    private static (Range Name, Range Extension) Parts(ReadOnlySpan<byte> identifier)
    {
        var semicolon = identifier.IndexOf((byte)';');
        var end = semicolon >= 0 ? semicolon : identifier.Length;
        var dot = identifier[..end].IndexOf((byte)'.');
        return dot < 0 ? (..end, end..end) : (..dot, (dot + 1)..end);
    }

    private static int ComparePadded(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var a = i < left.Length ? left[i] : (byte)' ';
            var b = i < right.Length ? right[i] : (byte)' ';
            if (a != b)
            {
                return a.CompareTo(b);
            }
        }

        return 0;
    }
}
