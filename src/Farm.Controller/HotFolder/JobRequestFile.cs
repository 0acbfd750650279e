using System.Collections.Immutable;
using System.Globalization;

namespace Farm.Controller.HotFolder;

/// <summary>
/// One Primera PTBurn-style job request (<c>NAME.JRQ</c>): INI-like <c>key=value</c> lines, one
/// job per file, keys case-insensitive, <c>;</c> or <c>#</c> starting a comment. Defaults are
/// PTBurn's. Keys the farm does not read are kept with their line in <see cref="UnknownKeys"/>, for
/// the status file: they are reported, never silently dropped.
/// </summary>
public sealed record JobRequestFile
{
    /// <summary>The PTBurn keys the farm reads, as the SDK spells them.</summary>
    public static readonly ImmutableArray<string> Keys =
    [
        "JobID", "ClientID", "Copies", "ImageFile", "Data", "VolumeName", "VerifyDisc", "CloseDisc", "RejectIfNotBlank",
        "PrintLabel", "MergeField", "Importance", "BurnSpeed", "DeleteFiles", "DiscType",
    ];

    /// <summary>Keys that may be given on several lines (each adds a value).</summary>
    private static readonly ImmutableHashSet<string> Repeatable = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "Data", "MergeField");

    /// <summary>PTBurn's limit on JobID, ClientID and VolumeName.</summary>
    public const int MaxNameLength = 32;

    /// <summary>PTBurn's range of copies.</summary>
    public const int MaxCopies = 10_000;

    /// <summary>PTBurn's least important job (0 is the most).</summary>
    public const int MaxImportance = 400;

    /// <summary>PTBurn's default importance.</summary>
    public const int DefaultImportance = 4;

    /// <summary>The file's name without its extension (NAME of NAME.JRQ).</summary>
    public required string Name { get; init; }

    /// <summary>JobID, default the file's name.</summary>
    public required string JobId { get; init; }

    /// <summary>ClientID, default "Unknown".</summary>
    public string ClientId { get; init; } = "Unknown";

    public int Copies { get; init; } = 1;

    /// <summary>The image to burn (ImageFile=PATH[,Session1]).</summary>
    public string? ImageFile { get; init; }

    /// <summary>Folders or files to master (Data=PATH[,Session1], one per line).</summary>
    public ImmutableArray<string> Data { get; init; } = [];

    public string? VolumeName { get; init; }

    /// <summary>VerifyDisc, default NO.</summary>
    public bool VerifyDisc { get; init; }

    /// <summary>CloseDisc, default YES.</summary>
    public bool CloseDisc { get; init; } = true;

    /// <summary>RejectIfNotBlank, default NO.</summary>
    public bool RejectIfNotBlank { get; init; }

    /// <summary>The label to print (a file).</summary>
    public string? PrintLabel { get; init; }

    /// <summary>MergeField values, in the order given (the label's merge1, merge2, ...).</summary>
    public ImmutableArray<string> MergeFields { get; init; } = [];

    /// <summary>0 (most important) to 400; default 4.</summary>
    public int Importance { get; init; } = DefaultImportance;

    /// <summary>BurnSpeed, 1 to 100 (x); 0 or absent: the drive's highest.</summary>
    public int BurnSpeed { get; init; }

    /// <summary>DeleteFiles, default NO.</summary>
    public bool DeleteFiles { get; init; }

    /// <summary>The farm's media name from DiscType (CDR, DVDR, BDR, or a farm media name); null: the farm's default.</summary>
    public string? Media { get; init; }

    /// <summary>Keys the farm does not read, with their line.</summary>
    public ImmutableArray<(int Line, string Key)> UnknownKeys { get; init; } = [];

    /// <summary>The line each key was (first) given on, for messages about its value.</summary>
    public ImmutableDictionary<string, int> Lines { get; init; } = ImmutableDictionary.Create<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The line of a key, or null when it was not given.</summary>
    public int? LineOf(string key) => Lines.TryGetValue(key, out var line) ? line : null;

    /// <summary>
    /// Parses a job request; throws <see cref="JobRequestFileException"/> with the line and the
    /// reason for a malformed line, a key given twice, a bad value, or a file that names nothing
    /// (or two things) to burn.
    /// </summary>
    /// <param name="name">NAME of NAME.JRQ (JobID's default).</param>
    /// <param name="text">The file's content.</param>
    public static JobRequestFile Parse(string name, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(text);
        var request = new JobRequestFile { Name = name, JobId = name };
        var lines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unknown = ImmutableArray.CreateBuilder<(int, string)>();
        var data = ImmutableArray.CreateBuilder<string>();
        var merge = ImmutableArray.CreateBuilder<string>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] is ';' or '#')
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new JobRequestFileException(number, $"'{Shorten(line)}' is not key=value; a .JRQ holds one key=value per line (e.g. Copies=10)");
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (key.Length == 0 || key.Any(char.IsWhiteSpace))
            {
                throw new JobRequestFileException(number, $"'{Shorten(line)}' has no key before '='; a .JRQ holds one key=value per line (e.g. Copies=10)");
            }

            var known = Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                unknown.Add((number, key));
                continue;
            }

            if (lines.TryGetValue(known, out var earlier) && !Repeatable.Contains(known))
            {
                throw new JobRequestFileException(number, $"{known} is given twice (lines {earlier} and {number}); give it once");
            }

            lines.TryAdd(known, number);
            request = Apply(request, known, value, number, data, merge);
        }

        request = request with
        {
            Data = data.ToImmutable(),
            MergeFields = merge.ToImmutable(),
            UnknownKeys = unknown.ToImmutable(),
            Lines = lines.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase),
        };
        return CheckWhole(request);
    }

    private static JobRequestFile Apply(JobRequestFile request, string key, string value, int line, ImmutableArray<string>.Builder data, ImmutableArray<string>.Builder merge)
    {
        switch (key)
        {
            case "JobID":
                return request with { JobId = ShortName(value, key, line) };
            case "ClientID":
                return request with { ClientId = ShortName(value, key, line) };
            case "VolumeName":
                return request with { VolumeName = ShortName(value, key, line) };
            case "Copies":
                return request with { Copies = Number(value, key, line, 1, MaxCopies) };
            case "Importance":
                return request with { Importance = Number(value, key, line, 0, MaxImportance) };
            case "BurnSpeed":
                return request with { BurnSpeed = Number(value, key, line, 0, 100) };
            case "VerifyDisc":
                return request with { VerifyDisc = YesNo(value, key, line) };
            case "CloseDisc":
                return request with { CloseDisc = YesNo(value, key, line) };
            case "RejectIfNotBlank":
                return request with { RejectIfNotBlank = YesNo(value, key, line) };
            case "DeleteFiles":
                return request with { DeleteFiles = YesNo(value, key, line) };
            case "ImageFile":
                return request with { ImageFile = SessionPath(value, key, line) };
            case "Data":
                data.Add(SessionPath(value, key, line));
                return request;
            case "PrintLabel":
                return request with { PrintLabel = PathOf(value, key, line, "the label file to print, e.g. PrintLabel=/srv/labels/release.txt") };
            case "MergeField":
                merge.Add(value);
                return request;
            case "DiscType":
                return request with { Media = MediaOf(value, line) };
            default:
                throw new InvalidOperationException($"the key {key} is listed but not read");
        }
    }

    private static JobRequestFile CheckWhole(JobRequestFile request)
    {
        if (request.ImageFile is not null && request.Data.Length > 0)
        {
            throw new JobRequestFileException(Math.Max(request.LineOf("ImageFile")!.Value, request.LineOf("Data")!.Value), "give ImageFile (an image to burn) or Data (folders or files to master), not both");
        }

        if (request.ImageFile is null && request.Data.Length == 0)
        {
            throw new JobRequestFileException(null, "the job names nothing to burn: give ImageFile=PATH (an ISO image) or Data=PATH (a folder or file to master)");
        }

        if (request.MergeFields.Length > 0 && request.PrintLabel is null)
        {
            throw new JobRequestFileException(request.LineOf("MergeField"), "MergeField fills a printed label: give PrintLabel=FILE too, or remove the merge fields");
        }

        return request;
    }

    private static string ShortName(string value, string key, int line) =>
        NonEmpty(value, key, line, $"up to {MaxNameLength} characters") is { Length: <= MaxNameLength } name
            ? name
            : throw new JobRequestFileException(line, $"{key} may have up to {MaxNameLength} characters, not {value.Length}");

    private static string NonEmpty(string value, string key, int line, string expected) =>
        value.Length > 0 ? value : throw new JobRequestFileException(line, $"{key} has no value; it takes {expected}");

    private static int Number(string value, string key, int line, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max
            ? number
            : throw new JobRequestFileException(line, $"{key} takes a whole number from {min} to {max}, not '{Shorten(value)}'");

    private static bool YesNo(string value, string key, int line) => value.ToUpperInvariant() switch
    {
        "YES" => true,
        "NO" => false,
        _ => throw new JobRequestFileException(line, $"{key} is YES or NO, not '{Shorten(value)}'"),
    };

    /// <summary>PATH or PATH,Session1 (PTBurn's session suffix); the farm burns single-session discs.</summary>
    private static string SessionPath(string value, string key, int line)
    {
        var comma = value.LastIndexOf(',');
        var path = value;
        if (comma >= 0 && value[(comma + 1)..].Trim() is var session && session.StartsWith("Session", StringComparison.OrdinalIgnoreCase))
        {
            if (!string.Equals(session, "Session1", StringComparison.OrdinalIgnoreCase))
            {
                throw new JobRequestFileException(line, $"{key} asks for {session}; the farm burns single-session discs (give the path alone, or ,Session1)");
            }

            path = value[..comma].Trim();
        }

        return PathOf(path, key, line, "a path, e.g. ImageFile=/srv/images/release.iso");
    }

    /// <summary>
    /// A path given on a line: not empty, and without a character no file name can hold (NUL on
    /// Linux), which would otherwise fail later, outside the file's checks, in Path.GetFullPath.
    /// </summary>
    private static string PathOf(string value, string key, int line, string example)
    {
        var path = NonEmpty(value, key, line, example);
        var bad = path.IndexOfAny(Path.GetInvalidPathChars());
        return bad < 0
            ? path
            : throw new JobRequestFileException(line, $"{key} holds a character no path can hold (U+{(int)path[bad]:X4} at position {bad + 1}); give the path as plain text");
    }

    /// <summary>PTBurn's DiscType (CDR, DVDR) or the farm's own media names (BD-R, DVD+R...).</summary>
    private static string MediaOf(string value, int line) => value.ToUpperInvariant() switch
    {
        "CDR" => "CD-R",
        "DVDR" => "DVD+R",
        "BDR" => "BD-R",
        _ when Farm.Device.Mmc.Profiles.TryParse(value, out var profile) => profile.Name,
        _ => throw new JobRequestFileException(line, $"DiscType is CDR, DVDR, BDR or one of the farm's media ({Farm.Device.Mmc.Profiles.Names}), not '{Shorten(value)}'"),
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
