using System.Globalization;

namespace Farm.Node.Cluster;

/// <summary>Quantities with units on the command line: durations (500ms, 2s, 1.5m, 1h).</summary>
public static class Units
{
    private static readonly (string Suffix, double Seconds)[] DurationUnits = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    public static TimeSpan ParseDuration(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        foreach (var (suffix, seconds) in DurationUnits)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && value >= 0 && !double.IsInfinity(value) && value * seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                return TimeSpan.FromSeconds(value * seconds);
            }
        }

        throw new ArgumentException($"{option} must be a duration with a unit such as 500ms, 2s, 5m or 1h, not '{text}'");
    }
}
