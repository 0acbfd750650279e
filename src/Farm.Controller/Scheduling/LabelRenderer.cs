using System.Globalization;
using System.Text;
using Farm.Messages.Jobs;

namespace Farm.Controller.Scheduling;

/// <summary>Fills a label template for one copy: {job}, {copy}, {set}, {disc}, {discs}, {copies} and the copy's merge fields.</summary>
public static class LabelRenderer
{
    private static readonly string[] BuiltIn = ["job", "copy", "set", "disc", "discs", "copies"];

    /// <summary>The text for one disc; null when the job prints no label.</summary>
    public static string? Render(string jobId, LabelSpec? label, int copy, int discsPerSet, int copies)
    {
        if (label is null)
        {
            return null;
        }

        var set = ((copy - 1) / discsPerSet) + 1;
        var fields = label.MergeFields is { } merge && set - 1 < merge.Count ? merge[set - 1] : null;
        return Fill(label.Template, name => name switch
        {
            "job" => jobId,
            "copy" => copy.ToString(CultureInfo.InvariantCulture),
            "set" => set.ToString(CultureInfo.InvariantCulture),
            "disc" => (((copy - 1) % discsPerSet) + 1).ToString(CultureInfo.InvariantCulture),
            "discs" => discsPerSet.ToString(CultureInfo.InvariantCulture),
            "copies" => copies.ToString(CultureInfo.InvariantCulture),
            _ => fields is not null && fields.TryGetValue(name, out var value) ? value : null,
        });
    }

    /// <summary>Why a template cannot be filled for every copy (unknown placeholder, unbalanced brace), or null if it can.</summary>
    public static string? Problem(LabelSpec label, int copies)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.MergeFields is { } merge && merge.Count != copies)
        {
            return $"the label has merge fields for {merge.Count} copies, the job has {copies}";
        }

        string? problem = null;
        for (var set = 0; set < Math.Max(1, label.MergeFields?.Count ?? 1) && problem is null; set++)
        {
            var fields = label.MergeFields?[set];
            Fill(label.Template, name =>
            {
                if (!BuiltIn.Contains(name) && (fields is null || !fields.ContainsKey(name)))
                {
                    problem ??= $"the label template uses {{{name}}}, which is neither built in ({string.Join(", ", BuiltIn)}) nor a merge field of copy {set + 1}";
                }

                return "";
            });
        }

        return problem ?? (Balanced(label.Template) ? null : "the label template has an unbalanced '{' or '}'");
    }

    private static bool Balanced(string template)
    {
        var depth = 0;
        foreach (var ch in template)
        {
            depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
            if (depth is < 0 or > 1)
            {
                return false;
            }
        }

        return depth == 0;
    }

    private static string Fill(string template, Func<string, string?> value)
    {
        var text = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            text.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            text.Append(value(name) ?? template[open..(close + 1)]);
            i = close + 1;
        }

        return text.ToString();
    }
}
