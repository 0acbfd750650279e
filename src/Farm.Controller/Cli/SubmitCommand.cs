using Farm.Controller.Api.Reports;
using System.CommandLine;
using Farm.Controller.Api;
using Farm.Controller.Mastering;
using Farm.Device.Errors;
using Farm.Messages;
using Farm.Messages.Views;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm submit IMAGE|FOLDER... --copies N --farm URL [--wait]</c>: submits a job through the
/// farm's HTTP API. One image burns N copies; several images burn N collated sets (disc 1..n of
/// each set); a folder is mastered here into an image first (<c>--filesystem iso-joliet|udf|bridge</c>).
/// <c>farm submit --audio T1.wav T2.wav ... --media CD-R [--cd-text FILE]</c> burns N audio CDs of the WAV tracks (FILE: JSON,
/// the API's <c>cdText</c>). <c>farm submit --folder DIR --append [--close]</c> adds DIR as a new session to N appendable discs. <c>--wait</c> follows the job until it
/// ends and prints <c>job ID: V/N copies verified, R rejected</c>.
/// </summary>
public static class SubmitCommand
{
    /// <summary>How often <c>--wait</c> asks how the job is doing.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long <c>--wait</c> keeps trying while no controller answers: longer than a failover or a
    /// database outage the singleton waits out (the job goes on meanwhile).
    /// </summary>
    private static readonly TimeSpan WaitPatience = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var sources = new Argument<string[]>("source") { Description = "An image, or a folder (mastered into an image first, see --filesystem); several make a collated set. Images are paths the controllers and nodes can read", Arity = ArgumentArity.ZeroOrMore };
        var audio = new Option<string[]>("--audio") { Description = "WAV files (44.1 kHz, 16-bit, stereo) burned as an audio CD, track 1 first, instead of an image; paths the nodes can read", AllowMultipleArgumentsPerToken = true };
        var fileSystem = new Option<string?>("--filesystem") { Description = "For a folder: iso-joliet (default), udf or bridge (UDF + ISO 9660/Joliet)" };
        var masterTo = new Option<string?>("--master-to") { Description = "Where a folder's image is written (default: FOLDER.iso beside the folder); every node must be able to read it" };
        var farm = ApiCli.FarmOption();
        var copies = new Option<int>("--copies") { Description = "Copies (or sets, for several images)", DefaultValueFactory = _ => 1 };
        var media = new Option<string>("--media") { Description = "Media type (a tower must hold it)", DefaultValueFactory = _ => "DVD+R" };
        var verify = new Option<VerifyMode>("--verify") { Description = "None, Quick or Full", DefaultValueFactory = _ => VerifyMode.Full };
        var priority = new Option<int>("--priority") { Description = "Higher goes first", DefaultValueFactory = _ => 0 };
        var due = new Option<string?>("--due") { Description = "When the job should be done (ISO 8601, e.g. 2026-12-01T17:00Z); earlier goes first among equal priorities" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts per copy before the job fails (default: the controller's)" };
        var label = new Option<string?>("--label") { Description = "Label template, e.g. \"{title} #{serial} ({copy}/{copies})\"" };
        var merge = new Option<string?>("--merge") { Description = "CSV file of merge fields: a header row of names, then one row per copy (or set)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the job until it ends; exit 0 if it completed" };
        var cdText = new Option<string?>("--cd-text") { Description = "With --audio: a JSON file of CD-TEXT, catalog and ISRCs: {\"title\", \"performer\", \"catalog\", \"tracks\": [{\"title\", \"performer\", \"isrc\"}]}" };
        var folder = new Option<string?>("--folder") { Description = "With --append: the folder added as a new session to each appendable disc (a path the nodes can read)" };
        var append = new Option<bool>("--append") { Description = "Add --folder as a new session to appendable discs (CD-R/RW, DVD±R, BD-R holding a session, left open) instead of burning blanks" };
        var close = new Option<bool>("--close") { Description = "With --append: close each disc after its session" };
        var command = new Command("submit", "Submit a burn job to the farm through its HTTP API")
        {
            sources, audio, fileSystem, masterTo, farm, copies, media, verify, priority, due, maxAttempts, label, merge, wait, ApiCli.TokenOption(),
            cdText, folder, append, close,
        };
        command.SetAction((result, cancellationToken) => ApiCli.RunAsync(result, farm, "submit", async client =>
        {
            var output = result.InvocationConfiguration.Output;
            SubmitJobBody body;
            try
            {
                var given = result.GetValue(sources) ?? [];
                var tracks = result.GetValue(audio) ?? [];
                var session = SubmitAppend.Folder(result.GetValue(folder), result.GetValue(append), result.GetValue(close), given.Length + tracks.Length);
                if (session is null && given.Length == 0 == (tracks.Length == 0))
                {
                    throw new ArgumentException(given.Length == 0
                        ? "name what to burn: an image, a folder, several images (a collated set), or --audio T1.wav T2.wav ..."
                        : "--audio burns WAV tracks as an audio CD; give either --audio or images/folders, not both");
                }

                var choice = new FileSystemChoice(result.GetValue(fileSystem), false, null, null);
                var (images, mastered) = tracks.Length > 0 || session is not null
                    ? ([], null)
                    : await FolderSources.MasterAsync(given, result.GetValue(masterTo), result.GetValue(media)!, output, cancellationToken, choice).ConfigureAwait(false);
                body = BuildBody(images, mastered, result.GetValue(copies), result.GetValue(media)!, result.GetValue(verify), result.GetValue(priority),
                    result.GetValue(due), result.GetValue(maxAttempts), result.GetValue(label), result.GetValue(merge));
                if (tracks.Length > 0)
                {
                    body = body with { Audio = [.. tracks.Select(Path.GetFullPath)], CdText = SubmitAppend.CdText(result.GetValue(cdText)) };
                }
                else if (result.GetValue(cdText) is not null)
                {
                    throw new ArgumentException("--cd-text describes an audio CD: give it with --audio T1.wav T2.wav ...");
                }

                if (session is not null)
                {
                    body = body with { Folder = session, Append = true, Close = result.GetValue(close) };
                }
            }
            catch (Exception bad) when (bad is ArgumentException or DeviceException or IOException)
            {
                return ApiCli.Fail(result, "submit", bad.Message);
            }

            // One key for every try of this submission: a controller that took the job but died
            // before answering does not make a second one when the next address is tried.
            var answer = await client.SendAsync(HttpMethod.Post, "/api/jobs", body, Guid.NewGuid().ToString(), cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                return ApiCli.Refused(result, "submit", answer);
            }

            var job = answer.Read<JobView>();
            await output.WriteLineAsync($"job {job.Id}: {job.Copies} {(job.DiscsPerSet > 1 ? "sets" : "copies")} of {job.Image} on {job.Media}").ConfigureAwait(false);
            return result.GetValue(wait) ? await WaitAsync(client, job.Id, output, result, cancellationToken).ConfigureAwait(false) : 0;
        }));
        return command;
    }

    /// <summary>The API's body for the sources (images by absolute path; the folder an image was mastered from, if any) and options.</summary>
    internal static SubmitJobBody BuildBody(string[] images, string? masteredFrom, int copies, string media, VerifyMode verify, int priority, string? due, int? maxAttempts, string? label, string? merge)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (label is null && merge is not null)
        {
            throw new ArgumentException("--merge needs a --label template that uses its fields");
        }

        var paths = images.Select(Path.GetFullPath).ToList();
        return new SubmitJobBody
        {
            Image = paths.Count == 1 ? paths[0] : null,
            Images = paths.Count > 1 ? paths : null,
            MasteredFrom = masteredFrom,
            Copies = copies,
            Media = media,
            Verify = verify.ToString(),
            Priority = priority,
            Due = due,
            MaxAttempts = maxAttempts,
            Label = label,
            MergeFields = merge is null ? null : ReadMergeFields(merge),
        };
    }

    /// <summary>A plain CSV (no quoting): a header of field names, one row per copy.</summary>
    private static List<IReadOnlyDictionary<string, string>> ReadMergeFields(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count < 2)
        {
            throw new ArgumentException($"--merge {path}: needs a header row and at least one row of values");
        }

        var names = lines[0].Split(',').Select(n => n.Trim()).ToArray();
        return [.. lines.Skip(1).Select((line, row) =>
        {
            var values = line.Split(',');
            return values.Length != names.Length
                ? throw new ArgumentException($"--merge {path}: row {row + 2} has {values.Length} values, the header names {names.Length}")
                : (IReadOnlyDictionary<string, string>)names.Zip(values, (n, v) => KeyValuePair.Create(n, v.Trim())).ToDictionary(StringComparer.Ordinal);
        })];
    }

    /// <summary>Asks how the job is doing until it ends (through whichever controller answers); prints its outcome.</summary>
    private static async Task<int> WaitAsync(FarmApiClient client, string jobId, TextWriter output, ParseResult result, CancellationToken cancellationToken)
    {
        string? shown = null;
        while (true)
        {
            var answer = await client.SendAsync(HttpMethod.Get, $"/api/jobs/{Uri.EscapeDataString(jobId)}", null, null, cancellationToken, WaitPatience).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                return ApiCli.Fail(result, "submit", $"while waiting for job {jobId}: {answer.Problem}", ApiCli.Failed);
            }

            var job = answer.Read<JobView>();

            // The live display: a progress line each time the job moved (a line, not a redrawn
            // bar, so a log or a script reading the output sees every step).
            var progress = Progress(job);
            if (progress != shown && !job.Finished)
            {
                await output.WriteLineAsync(progress).ConfigureAwait(false);
                shown = progress;
            }

            if (job.Finished)
            {
                await output.WriteLineAsync(Outcome(job)).ConfigureAwait(false);
                return job.Status == nameof(JobStatus.Completed) ? 0 : ApiCli.Failed;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A progress line of <c>--wait</c>: a bar of the discs verified, those in flight and rejected.</summary>
    internal static string Progress(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var percent = job.Discs > 0 ? 100.0 * job.Verified / job.Discs : 0;
        return $"job {job.Id} {StatusTables.Progress(percent, null, null)} {job.Verified}/{job.Discs} verified, {job.InFlight} in flight, {job.Rejected} rejected ({job.Status})";
    }

    /// <summary>The line <c>--wait</c> ends with.</summary>
    internal static string Outcome(JobView job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var tally = $"{job.Verified}/{job.Discs} {(job.DiscsPerSet > 1 ? "discs" : "copies")} verified, {job.Rejected} rejected";
        return job.Status switch
        {
            nameof(JobStatus.Completed) => $"job {job.Id}: {tally}",
            nameof(JobStatus.Cancelled) => $"job {job.Id} cancelled: {tally} ({job.Why})",
            _ => $"job {job.Id} failed: {job.Why} ({tally})",
        };
    }
}
