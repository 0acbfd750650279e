namespace Farm.Node.Hosting;

/// <summary>Durations with units on the command line: 500ms, 2s, 1.5m, 1h.</summary>
public static class Durations
{
    public static TimeSpan Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(trimmed[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value >= 0 && !double.IsInfinity(value) && value * seconds < TimeSpan.MaxValue.TotalSeconds)
            {
                return TimeSpan.FromSeconds(value * seconds);
            }
        }

        throw new ArgumentException($"{option} must be a duration with a unit such as 500ms, 2s, 5m or 1h, not '{text}'");
    }
}
