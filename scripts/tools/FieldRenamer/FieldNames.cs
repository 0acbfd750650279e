namespace FieldRenamer;

/// <summary>The house field style, _camelCase, as the .editorconfig style underscore_camel checks it.</summary>
internal static class FieldNames
{
    public static bool IsUnderscoreCamel(string name) =>
        name.Length > 1 && name[0] == '_' && char.IsLower(name[1]);

    /// <summary>
    /// foo, Foo, _Foo, m_foo, s_foo become _foo; a leading acronym is lowered whole (IOStream becomes
    /// _ioStream, URL becomes _url). Null when nothing is left to name (a field called _ or __).
    /// </summary>
    public static string? ToUnderscoreCamel(string name)
    {
        var core = name.TrimStart('_');
        if (core.Length > 2 && core[1] == '_' && core[0] is 'm' or 's' or 't')
        {
            core = core[2..];
        }

        if (core.Length == 0 || !char.IsLetter(core[0]))
        {
            return null;
        }

        var upper = 0;
        while (upper < core.Length && char.IsUpper(core[upper]))
        {
            upper++;
        }

        // In "IOStream" the S starts the next word, so only "IO" is lowered.
        var lowered = upper > 1 && upper < core.Length && char.IsLower(core[upper]) ? upper - 1 : Math.Max(upper, 1);
        return "_" + core[..lowered].ToLowerInvariant() + core[lowered..];
    }
}
