using System.Globalization;
using Farm.Messages.Cli;

namespace Farm.Benchmarks;

/// <summary>A benchmark verb's <c>--name value</c> pairs, each read with a message that says what is wrong and shows the usage.</summary>
internal sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values;
    private readonly string _usage;

    private BenchOptions(Dictionary<string, string> values, string usage)
    {
        _values = values;
        _usage = usage;
    }

    public static BenchOptions Parse(string[] args, string usage)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{args[i]}' is not an option with a value; usage: {usage}");
            }

            values[args[i]] = args[i + 1];
        }

        return new BenchOptions(values, usage);
    }

    public string Required(string name) => _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"{name} is required; usage: {_usage}");

    public int Int(string name, int fallback, int min, int max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'");
    }

    public double Number(string name, double fallback, double min, double max)
    {
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name} must be a number from {min} to {max}, not '{text}'");
    }

    /// <summary>A duration ("10s", "3min"; a plain number is seconds), or null when not given.</summary>
    public TimeSpan? Duration(string name) =>
        _values.TryGetValue(name, out var text) ? Units.ParseDuration(text, name, plainUnit: "s") : null;
}
