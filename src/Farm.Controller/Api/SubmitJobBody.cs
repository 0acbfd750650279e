namespace Farm.Controller.Api;

/// <summary>
/// The JSON body of <c>POST /api/jobs</c>. Paths are on the controller's file system (and the
/// nodes', which read the same image). Every field but the image has the CLI's default.
/// </summary>
public sealed record SubmitJobBody
{
    /// <summary>Field names as they appear in JSON, for the message about an unknown one.</summary>
    public static readonly IReadOnlyList<string> FieldNames =
        ["image", "images", "audio", "masteredFrom", "copies", "media", "verify", "priority", "due", "maxAttempts", "label", "mergeFields", "cdText", "folder", "append", "close"];

    /// <summary>The image to burn (an absolute path); or give <see cref="Images"/>.</summary>
    public string? Image { get; init; }

    /// <summary>Several images burned as collated sets, disc 1..n of each set.</summary>
    public IReadOnlyList<string>? Images { get; init; }

    /// <summary>WAV files (absolute paths) burned as a Redbook audio CD, track 1 first; instead of an image.</summary>
    public IReadOnlyList<string>? Audio { get; init; }

    /// <summary>The folder the image was mastered from (farm submit FOLDER masters it first); recorded as the job's source.</summary>
    public string? MasteredFrom { get; init; }

    /// <summary>Copies, or sets for several images.</summary>
    public int Copies { get; init; } = 1;

    public string Media { get; init; } = "DVD+R";

    /// <summary>None, Quick or Full.</summary>
    public string Verify { get; init; } = "Full";

    /// <summary>Higher goes first.</summary>
    public int Priority { get; init; }

    /// <summary>ISO 8601, e.g. 2026-12-01T17:00Z; earlier goes first among equal priorities.</summary>
    public string? Due { get; init; }

    /// <summary>Attempts per copy before the job fails; null: the controller's.</summary>
    public int? MaxAttempts { get; init; }

    /// <summary>Label template, e.g. "{title} #{serial} ({copy}/{copies})".</summary>
    public string? Label { get; init; }

    /// <summary>Merge fields for the label, one set of fields per copy (or set).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>>? MergeFields { get; init; }

    /// <summary>An audio job's CD-TEXT (album title and performer, per track title and performer), catalog number and ISRCs.</summary>
    public Farm.Messages.Jobs.AudioText? CdText { get; init; }

    /// <summary>With <see cref="Append"/>: the folder (an absolute path) added as a new session to each appendable disc.</summary>
    public string? Folder { get; init; }

    /// <summary>Append <see cref="Folder"/> as a new session to appendable discs instead of burning blanks.</summary>
    public bool Append { get; init; }

    /// <summary>With <see cref="Append"/>: close each disc after its session.</summary>
    public bool Close { get; init; }
}
