using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Farm.Controller.Api;
using Farm.Messages.Jobs;

namespace Farm.Controller.HotFolder;

/// <summary>
/// A parsed job request made into the farm's job: the same body <c>POST /api/jobs</c> takes,
/// checked by the same <see cref="JobSubmission"/>, with a job id derived from the file so that a
/// request submitted again (after a restart, or by a second controller watching the folder) is the
/// job the farm already has. What the farm does not do as asked is kept as notes for the status file.
/// </summary>
public sealed record HotFolderJob(JobSubmitted Job, ImmutableArray<string> Notes, string? DeleteAfter)
{
    /// <summary>Label files the farm prints: text templates. PTBurn's SureThing and picture labels are not.</summary>
    private static readonly string[] PictureLabels = [".std", ".jpg", ".jpeg", ".bmp", ".prn"];

    /// <summary>What JobSubmission's field names are in a .JRQ.</summary>
    private static readonly Dictionary<string, string> KeyOfField = new(StringComparer.Ordinal)
    {
        ["image"] = "ImageFile",
        ["copies"] = "Copies",
        ["media"] = "DiscType",
        ["verify"] = "VerifyDisc",
        ["priority"] = "Importance",
        ["label"] = "PrintLabel",
        ["mergeFields"] = "MergeField",
    };

    /// <summary>
    /// The farm's job id for the request in this file: the file's modification time (kept by every
    /// rename), its name and a digest of the name, time and content. The same file always gives the
    /// same id; the same content dropped again later (a new modification time) is a new job.
    /// </summary>
    public static string IdOf(string name, DateTime lastWriteUtc, string content)
    {
        ArgumentNullException.ThrowIfNull(name);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{name}\n{lastWriteUtc.Ticks}\n{content}")));
        var safe = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').Take(32)]);
        return string.Create(CultureInfo.InvariantCulture, $"{lastWriteUtc:yyyyMMdd-HHmmss}-{safe}-{Convert.ToHexStringLower(digest)[..8]}");
    }

    /// <summary>
    /// Makes the request a job submitted now; throws <see cref="JobRequestFileException"/> (with the
    /// key's line) for what the farm cannot burn as asked, or what <see cref="JobSubmission"/> refuses.
    /// </summary>
    /// <param name="folder">The hot folder: relative paths are in it; DeleteFiles deletes only inside it.</param>
    /// <param name="masteredImage">For a Data= request: the image the watcher mastered from its folder (<see cref="DataFolderOf"/>).</param>
    public static HotFolderJob Prepare(JobRequestFile request, string folder, string jobId, DateTimeOffset now, string? masteredImage = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dataFolder = DataFolderOf(request, folder);
        if (dataFolder is not null && masteredImage is null)
        {
            throw new InvalidOperationException("a Data= request is prepared once its folder is mastered");
        }

        if (!request.CloseDisc)
        {
            throw new JobRequestFileException(request.LineOf("CloseDisc"), "CloseDisc=NO (an open, multi-session disc) is not burned by the farm: every disc is closed; give CloseDisc=YES or leave it out");
        }

        var notes = ImmutableArray.CreateBuilder<string>();
        if (request.LineOf("RejectIfNotBlank") is { } blankLine && !request.RejectIfNotBlank)
        {
            notes.Add($"line {blankLine}: RejectIfNotBlank=NO: the farm never adds a session to a used disc; one that is not blank is rejected and burned again on a blank");
        }

        if (request.BurnSpeed > 0)
        {
            notes.Add($"line {request.LineOf("BurnSpeed")}: BurnSpeed={request.BurnSpeed} is not applied: the farm's drives burn at the speed their node sets");
        }

        if (request.VolumeName is not null)
        {
            notes.Add($"line {request.LineOf("VolumeName")}: VolumeName is not applied: the disc carries the image's own volume name (for Data=, the one farm master gives the folder)");
        }

        var image = masteredImage ?? Resolve(folder, request.ImageFile!);
        var body = new SubmitJobBody
        {
            Image = image,
            MasteredFrom = dataFolder,
            Copies = request.Copies,
            Media = request.Media ?? new SubmitJobBody().Media,
            Verify = request.VerifyDisc ? "Full" : "None",
            Priority = JobRequestFile.DefaultImportance - request.Importance,
            Label = request.PrintLabel is { } label ? ReadLabel(request, Resolve(folder, label)) : null,
            MergeFields = request.MergeFields.Length == 0
                ? null
                : [.. Enumerable.Repeat<IReadOnlyDictionary<string, string>>(
                    request.MergeFields.Select((value, i) => KeyValuePair.Create($"merge{i + 1}", value)).ToDictionary(StringComparer.Ordinal), request.Copies)],
        };
        var checkedBody = JobSubmission.Check(body);
        if (checkedBody.Job is not { } job)
        {
            var (field, problems) = checkedBody.Errors.First();
            var key = KeyOfField.GetValueOrDefault(field, field);
            throw new JobRequestFileException(request.LineOf(key), $"{key}: {string.Join("; ", problems)}");
        }

        return new HotFolderJob(job with { JobId = jobId, SubmittedAt = now }, notes.ToImmutable(), DeletionOf(request, folder));
    }

    private static string Resolve(string folder, string path) => Path.GetFullPath(path, folder);

    /// <summary>
    /// The folder a Data= request masters into its disc (ISO 9660 + Joliet, as <c>farm submit FOLDER</c>),
    /// or null for an ImageFile= request. PTBurn also takes single files and several Data= lines; the
    /// farm masters one folder: anything else is refused with the line.
    /// </summary>
    public static string? DataFolderOf(JobRequestFile request, string folder)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Data.Length == 0)
        {
            return null;
        }

        if (request.Data.Length > 1)
        {
            throw new JobRequestFileException(request.LineOf("Data"), $"the farm masters one folder per job, and this request gives {request.Data.Length} Data= lines; put the files in one folder and give Data=FOLDER");
        }

        var data = Resolve(folder, request.Data[0]);
        return Directory.Exists(data)
            ? data
            : throw new JobRequestFileException(request.LineOf("Data"), File.Exists(data)
                ? $"Data={data} is a file; the farm masters a folder: put the file in a folder and give Data=FOLDER"
                : $"Data={data} does not exist; give the folder to master");
    }

    /// <summary>The label file's text is the farm's label template ({job}, {copy}, {copies}, {merge1}...).</summary>
    private static string ReadLabel(JobRequestFile request, string path)
    {
        var line = request.LineOf("PrintLabel");
        if (PictureLabels.Contains(Path.GetExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            throw new JobRequestFileException(line, $"PrintLabel {path}: the farm prints text label templates (a .txt file such as \"{{job}} copy {{copy}}/{{copies}} {{merge1}}\"), not {Path.GetExtension(path)} files");
        }

        try
        {
            var template = File.ReadAllText(path).Trim();
            return template.Length > 0 ? template : throw new JobRequestFileException(line, $"PrintLabel {path} is empty; it holds the label's text template");
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestFileException(line, $"PrintLabel {path} cannot be read: {unreadable.Message}");
        }
    }

    /// <summary>
    /// What DeleteFiles=YES deletes once the job ends: as PTBurn, the first subfolder of the hot
    /// folder that holds the image, with everything in it. An image anywhere else is never deleted.
    /// </summary>
    public static string? DeletionOf(JobRequestFile request, string folder)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.DeleteFiles || request.ImageFile is null)
        {
            return null;
        }

        var image = Resolve(folder, request.ImageFile);
        var relative = Path.GetRelativePath(folder, image);
        var first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return Path.IsPathRooted(relative) || first == ".." || first == relative
            ? throw new JobRequestFileException(request.LineOf("DeleteFiles"), $"DeleteFiles=YES deletes only a job's own subfolder of the hot folder, and {image} is not in one; put the image in {Path.Combine(folder, "JOBNAME")}{Path.DirectorySeparatorChar} or give DeleteFiles=NO")
            : Path.Combine(folder, first);
    }
}
