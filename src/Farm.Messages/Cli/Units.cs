using System.Globalization;

namespace Farm.Messages.Cli;

/// <summary>
/// Times and sizes as farm and farm-node read and print them: <c>500ms</c>, <c>10s</c>, <c>2m</c>,
/// <c>1h</c>; <c>512B</c>, <c>64KiB</c>, <c>32MiB</c>, <c>1GiB</c> (powers of 1024; KB/MB/GB are
/// taken as the same binary units, as drive and disc sizes are written). A plain number keeps the
/// unit the option always had (its <c>plainUnit</c>); where an option had none, a unit is required.
/// </summary>
public static class Units
{
    private static readonly (string Suffix, double Seconds)[] TimeUnits =
        [("ms", 0.001), ("s", 1), ("m", 60), ("min", 60), ("h", 3600)];

    private static readonly (string Suffix, long Bytes)[] SizeUnits =
        [("b", 1), ("k", 1L << 10), ("kb", 1L << 10), ("kib", 1L << 10), ("m", 1L << 20), ("mb", 1L << 20), ("mib", 1L << 20), ("g", 1L << 30), ("gb", 1L << 30), ("gib", 1L << 30), ("t", 1L << 40), ("tb", 1L << 40), ("tib", 1L << 40)];

    /// <summary>
    /// A duration (0 or more) from <paramref name="text"/>; a plain number is in
    /// <paramref name="plainUnit"/> (e.g. "s") or, when that is null, refused.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a duration; the message names <paramref name="option"/> and the accepted forms.</exception>
    public static TimeSpan ParseDuration(string? text, string option, string? plainUnit = null)
    {
        var (number, unit) = Split(text);
        unit = unit.Length == 0 ? plainUnit ?? "" : unit;
        var seconds = TimeUnits.FirstOrDefault(u => string.Equals(u.Suffix, unit, StringComparison.OrdinalIgnoreCase)).Seconds;
        if (number is not { } value || seconds == 0 || value * seconds >= TimeSpan.MaxValue.TotalSeconds)
        {
            var plain = plainUnit is null ? "" : $" (a plain number is in {Name(plainUnit)})";
            throw new ArgumentException($"{option} must be a duration such as 500ms, 10s, 2m or 1h{plain}, not '{text}'");
        }

        return TimeSpan.FromSeconds(value * seconds);
    }

    /// <summary>A size in bytes (0 or more, whole bytes) from <paramref name="text"/>; a plain number is in <paramref name="plainUnit"/> or refused.</summary>
    /// <exception cref="ArgumentException">The text is not a size; the message names <paramref name="option"/> and the accepted forms.</exception>
    public static long ParseSize(string? text, string option, string? plainUnit = null)
    {
        var (number, unit) = Split(text);
        unit = unit.Length == 0 ? plainUnit ?? "" : unit;
        var bytes = SizeUnits.FirstOrDefault(u => string.Equals(u.Suffix, unit, StringComparison.OrdinalIgnoreCase)).Bytes;
        if (number is not { } value || bytes == 0 || value * bytes >= long.MaxValue || Math.Abs((value * bytes) - Math.Round(value * bytes)) > 1e-6)
        {
            var plain = plainUnit is null ? "" : $" (a plain number is in {plainUnit})";
            throw new ArgumentException($"{option} must be a size in whole bytes such as 512B, 64KiB, 32MiB or 1GiB{plain}, not '{text}'");
        }

        return (long)Math.Round(value * bytes);
    }

    /// <summary>The shortest exact form in one unit ("500ms", "10s", "2m", "1.5h"), as <see cref="ParseDuration"/> reads it back.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            return "-" + Format(duration.Negate());
        }

        if (duration.Ticks % TimeSpan.TicksPerSecond != 0 || duration == TimeSpan.Zero)
        {
            return Number(duration.TotalMilliseconds) + "ms";
        }

        return duration.TotalSeconds < 60 || duration.Ticks % TimeSpan.TicksPerMinute != 0 ? Number(duration.TotalSeconds) + "s"
            : duration.TotalMinutes < 60 || duration.Ticks % TimeSpan.TicksPerHour != 0 ? Number(duration.TotalMinutes) + "m"
            : Number(duration.TotalHours) + "h";
    }

    /// <summary>The largest binary unit the size is a whole multiple of, or one decimal above 1 of it ("32MiB", "1.5GiB", "700B").</summary>
    public static string FormatSize(long bytes)
    {
        (string Suffix, long Bytes)[] units = [("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10)];
        foreach (var (suffix, size) in units)
        {
            if (Math.Abs(bytes) >= size)
            {
                return bytes % size == 0 ? $"{Number(bytes / size)}{suffix}" : $"{Number(Math.Round((double)bytes / size, 1))}{suffix}";
            }
        }

        return $"{bytes.ToString(CultureInfo.InvariantCulture)}B";
    }

    private static (double? Number, string Unit) Split(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiDigit(trimmed[end]) || trimmed[end] == '.'))
        {
            end++;
        }

        var parsed = double.TryParse(trimmed[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);
        return (parsed ? value : null, trimmed[end..].Trim());
    }

    private static string Name(string unit) => unit switch
    {
        "ms" => "milliseconds",
        "s" => "seconds",
        "m" or "min" => "minutes",
        "h" => "hours",
        _ => unit,
    };

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
