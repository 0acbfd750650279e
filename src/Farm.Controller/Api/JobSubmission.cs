using System.Globalization;
using System.Text.Unicode;
using System.Text.Json;
using Farm.Controller.Scheduling;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Jobs;
using Microsoft.AspNetCore.Http;

namespace Farm.Controller.Api;

/// <summary>
/// A submission checked field by field: either every problem (keyed by the JSON field, with the
/// IMAPI2 error when the image is what is wrong) or the job, still without its id and time.
/// </summary>
public sealed record JobSubmission(IReadOnlyDictionary<string, string[]> Errors, ImapiError? Imapi, JobSubmitted? Job)
{
    /// <summary>Copies (or sets) a job may ask for.</summary>
    public const int MaxCopies = 100_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What each field takes, for the message about a value of the wrong JSON type.</summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.OrdinalIgnoreCase)
    {
        ["images"] = "a list of image paths",
        ["audio"] = "a list of WAV file paths",
        ["copies"] = $"a whole number from 1 to {MaxCopies}",
        ["priority"] = "a whole number",
        ["maxAttempts"] = "a whole number of at least 1, or null",
        ["mergeFields"] = "a list with one object of string fields per copy",
        ["cdText"] = "an object: title, performer, catalog, tracks (a list of objects: title, performer, isrc)",
        ["append"] = "true or false",
        ["close"] = "true or false",
    };

    /// <summary>
    /// The largest body read (413 above it): a job of <see cref="MaxCopies"/> copies with a merge
    /// field set for each fits with room to spare.
    /// </summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Reads the body: at most <see cref="MaxBodyBytes"/>, UTF-8, JSON, an object, only known fields,
    /// each of its type. Returns the body, or the HTTP status and what is wrong with it.
    /// </summary>
    public static async Task<(SubmitJobBody? Body, int Status, string? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, StatusCodes.Status415UnsupportedMediaType, $"the body must be JSON (Content-Type: application/json), not '{request.ContentType ?? "none"}'");
        }

        var tooLarge = $"the body is larger than {MaxBodyBytes / (1024 * 1024)} MiB; a job is a small JSON object (split a job with that many merge fields into several)";
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, StatusCodes.Status413PayloadTooLarge, tooLarge);
        }

        // Buffered and checked as UTF-8 once, up front: JsonDocument checks UTF-8 only when a string
        // is read, so bad bytes would otherwise surface wherever a name or value is first read
        // (found by the job-request fuzz, seed 351078155).
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        for (int read; (read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0;)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, StatusCodes.Status413PayloadTooLarge, tooLarge);
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!Utf8.IsValid(bytes.Span))
        {
            return (null, StatusCodes.Status400BadRequest, "the body is not valid UTF-8; send the JSON as UTF-8 text");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException bad)
        {
            return (null, StatusCodes.Status400BadRequest, $"the body is not valid JSON: {bad.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, StatusCodes.Status400BadRequest, $"the body must be a JSON object such as {{\"image\": \"/srv/images/release.iso\", \"copies\": 10}}, not a {document.RootElement.ValueKind}");
            }

            string? unknown;
            try
            {
                unknown = document.RootElement.EnumerateObject().Select(p => p.Name)
                    .FirstOrDefault(n => !SubmitJobBody.FieldNames.Contains(n, StringComparer.OrdinalIgnoreCase));
            }
            catch (InvalidOperationException notText)
            {
                // Valid UTF-8 can still escape half a UTF-16 surrogate pair ("\uD800"), which is no character.
                return (null, StatusCodes.Status400BadRequest, $"a field name in the body is not text: {notText.Message}");
            }

            if (unknown is not null)
            {
                return (null, StatusCodes.Status400BadRequest, $"unknown field '{unknown}'; a job takes {string.Join(", ", SubmitJobBody.FieldNames)}");
            }

            try
            {
                return (document.RootElement.Deserialize<SubmitJobBody>(Json), StatusCodes.Status200OK, null);
            }
            catch (JsonException bad)
            {
                var field = bad.Path?.TrimStart('$', '.').Split('.', '[')[0] ?? "";
                return (null, StatusCodes.Status400BadRequest, $"field '{field}' has the wrong type: it takes {Expected.GetValueOrDefault(field, "a string")}");
            }
        }
    }

    /// <summary>Checks every field against the farm's rules and the image on this file system.</summary>
    /// <param name="imageRoots">Real paths of the folders images must be in (<c>--image-root</c>); empty: anywhere.</param>
    public static JobSubmission Check(SubmitJobBody body, IReadOnlyList<string>? imageRoots = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message) => (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);
        ImapiError? imapi = null;

        var mediaKnown = Profiles.TryParse(body.Media ?? "", out var medium);
        if (!mediaKnown)
        {
            Add("media", $"unknown media '{body.Media}'; the farm burns {Profiles.Names}");
        }

        var audio = body.Audio is null ? null : AudioSubmission.Check(body, mediaKnown ? medium : null, Add, ref imapi);
        AudioSubmission.CheckTextOnlyWithAudio(body, Add);
        var append = body.Append || body.Folder is not null || body.Close ? AppendSubmission.Check(body, mediaKnown ? medium : null, imageRoots ?? [], Add, ref imapi) : null;
        var images = new List<SetImage>();
        foreach (var (field, path) in body.Audio is null && !body.Append && body.Folder is null && !body.Close ? ImagePaths(body, Add) : [])
        {
            var image = CheckImage(field, path, imageRoots ?? [], mediaKnown ? medium : null, Add, ref imapi);
            if (image is not null)
            {
                images.Add(image);
            }
        }

        if (body.MasteredFrom is { } folder && (!Path.IsPathFullyQualified(folder) || body.Images is not null))
        {
            Add("masteredFrom", $"masteredFrom names the one folder an image was mastered from, as an absolute path; '{folder}' cannot be recorded{(body.Images is null ? "" : " for a collated set")}");
        }

        if (body.Copies is < 1 or > MaxCopies)
        {
            Add("copies", $"a job needs between 1 and {MaxCopies} copies, not {body.Copies}");
        }

        if (!TryVerify(body.Verify, out var verify))
        {
            Add("verify", $"verify is None, Quick or Full, not '{body.Verify}'");
        }

        DateTimeOffset? due = null;
        if (body.Due is not null)
        {
            if (DateTimeOffset.TryParse(body.Due, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                due = parsed;
            }
            else
            {
                Add("due", $"due must be a date and time such as 2026-12-01T17:00Z, not '{body.Due}'");
            }
        }

        if (body.MaxAttempts is < 1)
        {
            Add("maxAttempts", $"max attempts per copy must be at least 1, not {body.MaxAttempts}");
        }

        LabelSpec? label = null;
        if (body.Label is not null)
        {
            label = new LabelSpec(body.Label, body.MergeFields);
            if (body.Copies >= 1 && LabelRenderer.Problem(label, body.Copies) is { } problem)
            {
                Add("label", problem);
            }
        }
        else if (body.MergeFields is not null)
        {
            Add("mergeFields", "merge fields need a label template that uses them");
        }

        if (errors.Count > 0 || (images.Count == 0 && audio is null && append is null))
        {
            return new JobSubmission(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), imapi, null);
        }

        if (audio is { } cd)
        {
            images.Add(new SetImage(cd.Tracks[0], cd.Blocks));
        }

        if (append is { } session)
        {
            images.Add(new SetImage(session.Source.Path, session.Blocks));
        }

        var source = append?.Source ?? (audio is { } tracks ? new JobSource(SourceKind.Audio, tracks.Tracks[0], null, tracks.Tracks, body.CdText)
            : body.Images is not null
            ? new JobSource(SourceKind.CollatedSet, images[0].Path, images)
            : body.MasteredFrom is { } mastered ? new JobSource(SourceKind.Folder, mastered) : null);
        var job = new JobSubmitted("", images[0].Path, images[0].Blocks, body.Copies, verify, medium.Name, body.Priority, default, source, label, due, body.MaxAttempts);
        return new JobSubmission(new Dictionary<string, string[]>(StringComparer.Ordinal), null, job);
    }

    private static IEnumerable<(string Field, string? Path)> ImagePaths(SubmitJobBody body, Action<string, string> add)
    {
        if (body.Image is not null && body.Images is not null)
        {
            add("image", "give image (one image) or images (a collated set), not both");
            return [];
        }

        if (body.Images is { } set)
        {
            if (set.Count == 0)
            {
                add("images", "a collated set needs at least one image");
            }

            return set.Select((path, i) => ($"images[{i}]", (string?)path));
        }

        return [("image", body.Image)];
    }

    private static SetImage? CheckImage(string field, string? path, IReadOnlyList<string> roots, ProfileInfo? medium, Action<string, string> add, ref ImapiError? imapi)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            add(field, "name the image to burn: an absolute path on the controller's file system (or images, several, for a collated set)");
            return null;
        }

        if (!Path.IsPathFullyQualified(path))
        {
            add(field, $"the image must be an absolute path on the controller's file system, not '{path}'");
            return null;
        }

        if (roots.Count > 0)
        {
            // Decided on where the file really is (.. and links resolved), before anything is said
            // about it: a path outside the roots learns nothing of what is there.
            string real;
            try
            {
                real = RealPaths.Of(path);
            }
            catch (Exception bad) when (bad is IOException or UnauthorizedAccessException)
            {
                add(field, $"image '{path}' cannot be resolved ({bad.Message}); give a path inside {string.Join(" or ", roots)}");
                return null;
            }

            if (!roots.Any(root => RealPaths.IsUnder(real, root)))
            {
                add(field, $"image '{path}' is outside the controller's image roots; images must be in {string.Join(" or ", roots)} (farm serve --image-root)");
                return null;
            }

            path = real;
        }

        ImageSource image;
        try
        {
            image = ImageSource.Open(path);
        }
        catch (DeviceException bad)
        {
            imapi ??= bad.Error.Error;
            add(field, bad.Error.ToString());
            return null;
        }

        if (medium is not null && image.Blocks > medium.CapacityBlocks)
        {
            imapi ??= ImapiErrors.V1DiscFull;
            add(field, $"{ImapiErrors.V1DiscFull}: image '{image.Path}' needs {image.Blocks:N0} blocks but {medium.Name} media hold {medium.CapacityBlocks:N0}; use larger media");
            return null;
        }

        return new SetImage(image.Path, image.Blocks);
    }

    private static bool TryVerify(string? text, out VerifyMode verify)
    {
        verify = VerifyMode.Full;
        return text is not null && !text.Any(char.IsDigit) && Enum.TryParse(text, ignoreCase: true, out verify) && Enum.IsDefined(verify);
    }
}
