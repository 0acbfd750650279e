using System.Globalization;
using System.Text;

namespace Farm.Node.Towers;

/// <summary>
/// A disc label: text with merge fields {job} {copy} {date} {drive} {disc} (e.g.
/// "Release 2.1 — {job} #{copy} — {date}"). "{{" and "}}" stand for literal braces.
/// </summary>
public static class LabelTemplate
{
    public static readonly IReadOnlyList<string> Fields = ["job", "copy", "date", "drive", "disc"];

    /// <summary>Null when the template is good, else what is wrong and how to fix it.</summary>
    public static string? Problem(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        string? problem = null;
        Walk(template, field => problem ??= Fields.Contains(field, StringComparer.Ordinal) ? null : $"the label has an unknown field {{{field}}}; use {string.Join(" ", Fields.Select(f => "{" + f + "}"))}", _ => { }, p => problem ??= p);
        return problem;
    }

    /// <summary>The template with its fields filled; the date is the UTC day (yyyy-MM-dd).</summary>
    public static string Merge(string template, string jobId, int copy, string driveId, string discId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(template);
        var text = new StringBuilder(template.Length + 32);
        Walk(
            template,
            field => text.Append(field switch
            {
                "job" => jobId,
                "copy" => copy.ToString(CultureInfo.InvariantCulture),
                "date" => now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "drive" => driveId,
                "disc" => discId,
                _ => "{" + field + "}",
            }),
            literal => text.Append(literal),
            problem => throw new ArgumentException(problem, nameof(template)));
        return text.ToString();
    }

    private static void Walk(string template, Action<string> onField, Action<char> onLiteral, Action<string> onProblem)
    {
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if ((c == '{' || c == '}') && i + 1 < template.Length && template[i + 1] == c)
            {
                onLiteral(c);
                i++;
                continue;
            }

            if (c == '}')
            {
                onProblem($"the label has a '}}' at position {i} without its '{{'; write '}}}}' for a literal brace");
                return;
            }

            if (c != '{')
            {
                onLiteral(c);
                continue;
            }

            var end = template.IndexOf('}', i + 1);
            if (end < 0)
            {
                onProblem($"the label's field starting at position {i} has no closing '}}'");
                return;
            }

            onField(template[(i + 1)..end].Trim().ToLowerInvariant());
            i = end;
        }
    }
}
