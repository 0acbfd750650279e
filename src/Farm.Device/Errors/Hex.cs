namespace Farm.Device.Errors;

/// <summary>Device bytes rendered for a message: bounded, so a 64 KiB garbage answer stays readable.</summary>
internal static class Hex
{
    internal const int MaxShown = 64;

    /// <summary>E.g. "70 00 05 ... (18 bytes)" or "... (300 bytes, first 64 shown)".</summary>
    internal static string Dump(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return "(0 bytes)";
        }

        var shown = bytes[..Math.Min(bytes.Length, MaxShown)];
        var hex = string.Join(' ', shown.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        var count = bytes.Length > MaxShown ? $"{bytes.Length} bytes, first {MaxShown} shown" : $"{bytes.Length} bytes";
        return $"{hex} ({count})";
    }
}
