using Farm.Messages.Views;
using System.CommandLine;
using System.Globalization;
using Farm.Controller.Scheduling;
using Farm.Device.Errors;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Node.Hosting;
using Farm.Node.Journal;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm submit IMAGE... --copies N --store ...</c>: puts a job into the farm journal. One image
/// burns N copies; several images burn N collated sets (disc 1..n of each set). <c>--wait</c>
/// follows the journal until the job ends and prints <c>job ID: V/N copies verified, R rejected</c>.
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var sources = new Argument<string[]>("source") { Description = "An image, or a folder (mastered into an ISO 9660 + Joliet image first); several make a collated set", Arity = ArgumentArity.OneOrMore };
        var masterTo = new Option<string?>("--master-to") { Description = "Where a folder's image is written (default: FOLDER.iso beside the folder); every node must be able to read it" };
        var store = StoreCli.StoreOption();
        var copies = new Option<int>("--copies") { Description = "Copies (or sets, for several images)", DefaultValueFactory = _ => 1 };
        var media = new Option<string>("--media") { Description = "Media type (a tower must hold it)", DefaultValueFactory = _ => "DVD+R" };
        var verify = new Option<VerifyMode>("--verify") { Description = "None, Quick or Full", DefaultValueFactory = _ => VerifyMode.Full };
        var priority = new Option<int>("--priority") { Description = "Higher goes first", DefaultValueFactory = _ => 0 };
        var due = new Option<string?>("--due") { Description = "When the job should be done (ISO 8601, e.g. 2026-12-01T17:00Z); earlier goes first among equal priorities" };
        var maxAttempts = new Option<int?>("--max-attempts") { Description = "Attempts per copy before the job fails (default: the controller's)" };
        var label = new Option<string?>("--label") { Description = "Label template, e.g. \"{title} #{serial} ({copy}/{copies})\"" };
        var merge = new Option<string?>("--merge") { Description = "CSV file of merge fields: a header row of names, then one row per copy (or set)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the job until it ends; exit 0 if it completed" };
        var command = new Command("submit", "Submit a burn job to the farm through its journal")
        {
            sources, masterTo, store, copies, media, verify, priority, due, maxAttempts, label, merge, wait,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            FarmStore farmStore;
            JobRequest request;
            try
            {
                farmStore = FarmStore.Parse(result.GetValue(store)!);
                var (images, mastered) = await FolderSources.MasterAsync(result.GetValue(sources)!, result.GetValue(masterTo), result.GetValue(media)!, cancellationToken).ConfigureAwait(false);
                request = BuildRequest(
                    images, result.GetValue(copies), result.GetValue(media)!, result.GetValue(verify), result.GetValue(priority),
                    result.GetValue(due), result.GetValue(maxAttempts), result.GetValue(label), result.GetValue(merge));
                if (mastered is not null)
                {
                    request = request with { Source = new JobSource(SourceKind.Folder, mastered) };
                }

                JobLedger.Validate(request);
            }
            catch (Exception bad) when (bad is ArgumentException or DeviceException or IOException)
            {
                return StoreCli.Fail("submit", bad.Message);
            }

            using var loggers = StoreCli.Loggers(verbose: false);
            var journal = await farmStore.OpenAsync(TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
            await using (journal.ConfigureAwait(false))
            {
                string jobId;
                try
                {
                    jobId = await JobLedger.SubmitAsync(journal, request, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException bad)
                {
                    return StoreCli.Fail("submit", bad.Message);
                }

                Console.WriteLine($"job {jobId}: {request.Copies} {(request.Source?.Kind == SourceKind.CollatedSet ? "sets" : "copies")} of {request.ImagePath} on {request.MediaType}");
                return result.GetValue(wait) ? await WaitAsync(journal, jobId, cancellationToken).ConfigureAwait(false) : 0;
            }
        });
        return command;
    }

    internal static JobRequest BuildRequest(string[] sources, int copies, string media, VerifyMode verify, int priority, string? due, int? maxAttempts, string? label, string? merge)
    {
        if (sources.Length == 0)
        {
            throw new ArgumentException("name an image to burn");
        }

        if (sources.FirstOrDefault(Directory.Exists) is { } folder)
        {
            throw new ArgumentException($"'{folder}' is a folder: master it first (farm master FOLDER -o IMAGE.iso), or submit it with farm submit, which masters it");
        }

        var images = sources.Select(s => ImageSource.Open(Path.GetFullPath(s))).ToList();
        DateTimeOffset? dueAt = null;
        if (due is not null)
        {
            dueAt = DateTimeOffset.TryParse(due, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                ? parsed
                : throw new ArgumentException($"--due must be a date and time such as 2026-12-01T17:00Z, not '{due}'");
        }

        LabelSpec? labelSpec = null;
        if (label is not null)
        {
            labelSpec = new LabelSpec(label, merge is null ? null : ReadMergeFields(merge));
        }
        else if (merge is not null)
        {
            throw new ArgumentException("--merge needs a --label template that uses its fields");
        }

        return new JobRequest(images[0].Path, images[0].Blocks, copies, verify, media, priority)
        {
            Source = images.Count == 1 ? null : new JobSource(SourceKind.CollatedSet, images[0].Path, [.. images.Select(i => new SetImage(i.Path, i.Blocks))]),
            DueAt = dueAt,
            MaxAttemptsPerCopy = maxAttempts,
            Label = labelSpec,
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

    /// <summary>Follows the journal until the job ends; prints its outcome.</summary>
    internal static async Task<int> WaitAsync(IJournal journal, string jobId, CancellationToken cancellationToken)
    {
        var state = FarmState.Empty;
        while (true)
        {
            try
            {
                state = await StoreCli.ReadFarmAsync(journal, state, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception failure) when (FarmStore.IsStoreFailure(failure))
            {
                await Console.Error.WriteLineAsync($"farm submit: the farm journal is unreachable, waiting: {failure.Message}").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (state.Jobs.TryGetValue(jobId, out var job) && job.IsFinished)
            {
                var unit = job.DiscsPerSet > 1 ? "discs" : "copies";
                switch (job.Status)
                {
                    case JobStatus.Completed:
                        Console.WriteLine($"job {jobId}: {job.Verified}/{job.Discs} {unit} verified, {job.Rejected} rejected");
                        return 0;
                    case JobStatus.Cancelled:
                        Console.WriteLine($"job {jobId} cancelled: {job.Verified}/{job.Discs} {unit} verified, {job.Rejected} rejected ({job.Why})");
                        return 1;
                    default:
                        Console.WriteLine($"job {jobId} failed: {job.Why} ({job.Verified}/{job.Discs} {unit} verified, {job.Rejected} rejected)");
                        return 1;
                }
            }

            try
            {
                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(TimeSpan.FromSeconds(2));
                await journal.WaitForNewEventsAsync(state.LastOrdering, tick.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            catch (Exception failure) when (FarmStore.IsStoreFailure(failure))
            {
                await Console.Error.WriteLineAsync($"farm submit: the farm journal is unreachable, waiting: {failure.Message}").ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
