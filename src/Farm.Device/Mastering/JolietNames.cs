namespace Farm.Device.Mastering;

/// <summary>
/// Joliet identifiers: the real names in UCS-2 big-endian (Joliet specification, Microsoft
/// 1995). A name holds at most 64 UCS-2 characters (128 bytes) and carries no version ";1":
/// genisoimage and xorriso -J write it so, and readers that see one strip it. UCS-2 cannot hold
/// characters outside the Basic Multilingual Plane (they would need UTF-16 surrogate pairs), and
/// Joliet forbids the control characters 0000h-001Fh and * / : ; ? \. Such names, and longer
/// ones, are refused rather than truncated (genisoimage cuts a 70-character "name.txt" to 64,
/// losing its extension): a truncated name could collide with another and would not be the name
/// the operator asked to burn.
/// </summary>
internal static class JolietNames
{
    public const int MaxCharacters = 64;

    /// <summary>The characters Joliet forbids besides the control characters.</summary>
    public const string Forbidden = "*/:;?\\";

    /// <summary>The volume identifier field holds 16 UCS-2 characters (32 bytes).</summary>
    public const int VolumeIdCharacters = 16;

    /// <summary>
    /// Throws on a name Joliet cannot hold. The identifier itself is the name in UCS-2
    /// (<see cref="IsoNode.Identifier"/>), and records sort by it compared as UCS-2 code units
    /// (big-endian bytes): for names without surrogates (refused here) that is the ordinal order
    /// of the names, the order the children are already in.
    /// </summary>
    public static void Check(IReadOnlyList<IsoNode> children)
    {
        foreach (var child in children)
        {
            Check(child);
        }
    }

    private static void Check(IsoNode node)
    {
        var name = node.NameSpan;
        if (name.Length > MaxCharacters)
        {
            throw MasteringErrors.BadName(node, $"its name is {name.Length} characters long and Joliet holds at most {MaxCharacters}; rename it to {MaxCharacters} characters or fewer");
        }

        foreach (var c in name)
        {
            if (char.IsSurrogate(c))
            {
                throw MasteringErrors.BadName(node, "its name has a character outside the Basic Multilingual Plane (an emoji or a rare script?), which Joliet's UCS-2 cannot hold; rename it");
            }

            if (c < 0x20 || Forbidden.Contains(c, StringComparison.Ordinal))
            {
                throw MasteringErrors.BadName(node, $"its name has the character {Describe(c)}, which Joliet forbids (control characters and {Forbidden}); rename it");
            }
        }
    }

    private static string Describe(char c) => c < 0x20 ? $"U+{(int)c:X4}" : $"'{c}'";
}
