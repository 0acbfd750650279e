using System.Globalization;
using System.Text.RegularExpressions;

namespace Farm.Device.Tests.Mastering;

/// <summary>
/// The third-party UDF readers (Debian's udftools `udfinfo` and 7-Zip's `7zz`, installed by
/// test.sh): they read what we wrote, or the test fails with their output.
/// </summary>
internal static partial class UdfTools
{
    /// <summary>udfinfo's "key=value" lines.</summary>
    public static async Task<Dictionary<string, string>> UdfInfoAsync(string image)
    {
        var text = await IsoTools.RunAsync("udfinfo", image);
        return text.Split('\n')
            .Select(line => KeyValue().Match(line))
            .Where(match => match.Success)
            .GroupBy(match => match.Groups[1].Value)
            .ToDictionary(group => group.Key, group => group.First().Groups[2].Value);
    }

    /// <summary>7-Zip's technical listing (`7zz l -slt`).</summary>
    public static Task<string> ListAsync(string image) => IsoTools.RunAsync("7zz", "l", "-slt", image);

    /// <summary>Extracts every file with 7-Zip; fails on any error or warning it reports.</summary>
    public static async Task ExtractAsync(string image, string into)
    {
        var output = await IsoTools.RunAsync("7zz", "x", "-y", $"-o{into}", image);
        Assert.Contains("Everything is Ok", output, StringComparison.Ordinal);
    }

    public static long Number(Dictionary<string, string> info, string key) =>
        long.Parse(info[key], CultureInfo.InvariantCulture);

    [GeneratedRegex("^([a-z]+)=(.*)$")]
    private static partial Regex KeyValue();
}
