using System.Globalization;
using System.Text;
using Farm.Controller.HotFolder;

namespace Farm.Controller.Tests.Fuzzing;

/// <summary>
/// Generated <c>.JRQ</c> files from one seed: a valid request as a start (the image given, copies,
/// verify), then each file takes a few mutations from a table (a line without '=', an empty key, a
/// key given twice, numbers at and past their bounds, words where numbers go, paths that are
/// missing, relative, empty or a folder, unknown disc types, comments, blank and over-long lines,
/// CRLF, a byte-order mark, bytes that are not UTF-8, an empty file). What it made is in
/// <see cref="Generated.Description"/>, for the failure message.
/// </summary>
internal sealed class JobRequestFiles(int seed, string image, string folder)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Numbers = ["0", "1", "-1", "10000", "10001", "400", "401", "100", "101", "2147483647", "2147483648", "99999999999999999999", "1e3", "0x10", " 7 ", "", "three", "4.5", "+5", "٣"];

    private static readonly string[] Flags = ["YES", "NO", "yes", "no", "Y", "N", "1", "0", "TRUE", "maybe", ""];

    private static readonly string[] DiscTypes = ["CDR", "DVDR", "BDR", "DVD+R", "BD-R", "CD-R", "HDDVD", "", "dvdr", "DVDR DL", "LTO-9"];

    public sealed record Generated(string Name, byte[] Bytes, string Description);

    public Generated Next(int index)
    {
        var lines = new List<string> { $"JobID=fuzz {index}", "ClientID=fuzzer", $"Copies={_random.Next(1, 4)}", $"ImageFile={image}" };
        var made = new List<string>();
        var mutations = _random.Next(0, 4);
        for (var m = 0; m < mutations; m++)
        {
            made.Add(Mutate(lines));
        }

        var text = string.Join(_random.Next(4) == 0 ? "\r\n" : "\n", lines);
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (_random.Next(20))
        {
            case 0:
                bytes = [0xEF, 0xBB, 0xBF, .. bytes];
                made.Add("byte-order mark");
                break;
            case 1:
                var garbage = new byte[_random.Next(1, 64)];
                _random.NextBytes(garbage);
                bytes = [.. bytes, .. "\n"u8.ToArray(), .. garbage];
                made.Add("random bytes at the end");
                break;
            case 2:
                bytes = [];
                made.Add("empty file");
                break;
        }

        return new Generated($"f{index:D3}", bytes, made.Count == 0 ? "valid" : string.Join("; ", made));
    }

    private string Mutate(List<string> lines)
    {
        string Pick(string[] from) => from[_random.Next(from.Length)];
        var at = _random.Next(lines.Count + 1);
        switch (_random.Next(16))
        {
            case 0:
                lines.Insert(at, "this line has no equals sign");
                return $"no '=' at line {at + 1}";
            case 1:
                lines.Insert(at, "=5");
                return $"empty key at line {at + 1}";
            case 2:
                lines.Insert(at, "Copies=2");
                return $"Copies again at line {at + 1}";
            case 3:
                var key = Pick(["Copies", "Importance", "BurnSpeed"]);
                lines.RemoveAll(l => l.StartsWith(key + "=", StringComparison.Ordinal));
                lines.Add($"{key}={Pick(Numbers)}");
                return $"{lines[^1]} (last line)";
            case 4:
                var flag = Pick(["VerifyDisc", "CloseDisc", "RejectIfNotBlank", "DeleteFiles"]);
                lines.RemoveAll(l => l.StartsWith(flag + "=", StringComparison.Ordinal));
                lines.Add($"{flag}={Pick(Flags)}");
                return $"{lines[^1]} (last line)";
            case 5:
                lines.RemoveAll(l => l.StartsWith("ImageFile=", StringComparison.Ordinal));
                lines.Add("ImageFile=" + Pick(["", "/nowhere/missing.iso", "relative.iso", folder, image + ",Session1", image + ",Session9", "\0", new string('a', 5000)]));
                return $"ImageFile changed: {Shorten(lines[^1])}";
            case 6:
                lines.RemoveAll(l => l.StartsWith("ImageFile=", StringComparison.Ordinal));
                return "no ImageFile";
            case 7:
                lines.Add("Data=" + Pick([folder, "/nowhere", "", image]));
                return $"{Shorten(lines[^1])} (with or without ImageFile)";
            case 8:
                lines.RemoveAll(l => l.StartsWith("DiscType=", StringComparison.Ordinal));
                lines.Add("DiscType=" + Pick(DiscTypes));
                return lines[^1];
            case 9:
                var name = Pick(["JobID", "ClientID", "VolumeName"]);
                lines.RemoveAll(l => l.StartsWith(name + "=", StringComparison.Ordinal));
                lines.Add($"{name}={Pick(["", new string('x', JobRequestFile.MaxNameLength), new string('x', JobRequestFile.MaxNameLength + 1), "naïve ✓", "a=b", "tab\there"])}");
                return Shorten(lines[^1]);
            case 10:
                lines.Insert(at, Pick(["; a comment", "# another", "", "   ", "\t"]));
                return $"comment or blank at line {at + 1}";
            case 11:
                lines.Insert(at, "Unknown" + _random.Next(100) + "=" + new string('z', _random.Next(0, 20_000)));
                return $"unknown key (long value) at line {at + 1}";
            case 12:
                lines.Add("PrintLabel=" + Pick(["", "/nowhere/label.txt", folder]));
                lines.Add("MergeField=" + Pick(["", "x", new string('m', 3000)]));
                return "PrintLabel and MergeField";
            case 13:
                lines.Insert(at, Pick(["copies=3", "COPIES=3", " Copies = 3 ", "Cop ies=3"]));
                return $"{lines[at].Trim()} at line {at + 1}";
            case 14:
                var bytes = new byte[_random.Next(1, 40)];
                _random.NextBytes(bytes);
                lines.Insert(at, Encoding.Latin1.GetString(bytes).Replace("\n", " ", StringComparison.Ordinal));
                return $"a line of random characters at line {at + 1}";
            default:
                lines.Clear();
                lines.Add(Pick(["", "; nothing but a comment", "Copies=1"]));
                return $"only '{lines[0]}'";
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..60]}... ({text.Length} characters)");
}
