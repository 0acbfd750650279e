using System.Text;
using Farm.Controller.Api;
using Farm.Controller.Mastering;
using Farm.Device.Errors;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.HotFolder;

/// <summary>
/// Watches the hot folder of this controller process (only the one started with
/// <c>--hot-folder</c>): every <see cref="HotFolderOptions.PollInterval"/> it takes the .JRQ files
/// that have settled, submits each through the farm controller gateway as <c>POST /api/jobs</c>
/// would, and follows the .QRJ and .INP files to .DON or .ERR. Everything it knows is in the folder
/// and in the farm's journal (the job id derives from the file), so a restarted controller carries on
/// from the files: nothing is lost, nothing submitted twice.
/// </summary>
/// <param name="images">Hashes each job's image at submit, as <c>POST /api/jobs</c> does, so nodes without its path can fetch it (null: jobs carry no hash).</param>
public sealed partial class HotFolderWatcher(HotFolderOptions options, FarmControllerGateway farm, TimeProvider time, ILogger<HotFolderWatcher> logger, ImageCatalog? images = null) : BackgroundService
{
    private readonly Dictionary<string, (long Size, DateTime Modified, DateTimeOffset Since)> _settling = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (HotFolderState, int, int, int, string)> _written = new(StringComparer.Ordinal);
    private bool _answering = true;
    private int _scans;

    /// <summary>Scans done so far (tests wait for a few to see that a file was left alone).</summary>
    public int Scans => Volatile.Read(ref _scans);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogWatching(logger, options.Folder);
        using var timer = new PeriodicTimer(options.PollInterval, time);
        do
        {
            try
            {
                await ScanAsync(stoppingToken).ConfigureAwait(false);
                _answering = true;
            }
            catch (FarmControllerUnavailableException silent)
            {
                // The singleton is starting or moving: the files stay as they are until it answers.
                if (_answering)
                {
                    LogWaiting(logger, silent.Message);
                }

                _answering = false;
            }
            catch (Exception trouble) when (trouble is IOException or UnauthorizedAccessException)
            {
                LogFolderTrouble(logger, options.Folder, trouble.Message);
            }

            Interlocked.Increment(ref _scans);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One look at the folder: settled .JRQ files taken, every .QRJ and .INP brought up to date with its job.</summary>
    public async Task ScanAsync(CancellationToken cancellationToken)
    {
        var files = Directory.EnumerateFiles(options.Folder)
            .Select(path => (Path: path, State: HotFolderFiles.StateOf(path)))
            .Where(f => f.State is HotFolderState.Jrq or HotFolderState.Qrj or HotFolderState.Inp)
            .OrderBy(f => f.Path, StringComparer.Ordinal)
            .ToList();
        foreach (var gone in _settling.Keys.Except(files.Select(f => f.Path)).ToList())
        {
            _settling.Remove(gone);
        }

        FarmState? state = null;
        foreach (var (path, fileState) in files)
        {
            if (fileState == HotFolderState.Jrq)
            {
                if (Settled(path) && Active(path) is null)
                {
                    await TakeAsync(path, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                state ??= await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
                await FollowAsync(path, fileState!.Value, state, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The file kept its size and time for the settle time (a file still being written does not).</summary>
    private bool Settled(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return false;
        }

        var now = time.GetUtcNow();
        if (!_settling.TryGetValue(path, out var seen) || seen.Size != info.Length || seen.Modified != info.LastWriteTimeUtc)
        {
            _settling[path] = seen = (info.Length, info.LastWriteTimeUtc, now);
        }

        return now - seen.Since >= options.SettleTime;
    }

    /// <summary>An earlier request of the same name still queued or burning: a new NAME.JRQ waits for it to end.</summary>
    private string? Active(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return new[] { HotFolderState.Qrj, HotFolderState.Inp }.Select(s => HotFolderFiles.PathOf(options.Folder, name, s)).FirstOrDefault(File.Exists);
    }

    private async Task TakeAsync(string path, CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (ReadExclusively(path) is not { } content)
        {
            return; // a writer still has it open
        }

        _settling.Remove(path);
        File.Delete(HotFolderFiles.StatusPath(options.Folder, name)); // a request of this name before: a new history
        _written.Remove(name);
        var jobId = HotFolderJob.IdOf(name, File.GetLastWriteTimeUtc(path), content.Text);
        JobRequestFile request;
        try
        {
            request = JobRequestFile.Parse(name, content.Text);
        }
        catch (JobRequestFileException malformed)
        {
            End(path, name, new HotFolderStatus(HotFolderState.Err, "refused: the job request file is not valid") { Error = malformed.Message });
            return;
        }

        HotFolderJob job;
        try
        {
            job = HotFolderJob.Prepare(request, options.Folder, jobId, time.GetUtcNow(), await MasterDataAsync(request, jobId, cancellationToken).ConfigureAwait(false));
        }
        catch (JobRequestFileException refused)
        {
            End(path, name, HotFolderStatus.Of(request, HotFolderState.Err, "refused: the farm cannot burn this job") with { Error = refused.Message });
            return;
        }

        var accepted = HotFolderStatus.Of(request, HotFolderState.Qrj, "accepted: submitted to the farm") with { FarmJob = jobId, Notes = job.Notes };
        accepted.Write(options.Folder, name, time.GetUtcNow());
        if (!TryMove(path, HotFolderFiles.PathOf(options.Folder, name, HotFolderState.Qrj)))
        {
            return;
        }

        LogTaken(logger, name, jobId, job.Job.Copies, job.Job.ImagePath);
        await SubmitAsync(HotFolderFiles.PathOf(options.Folder, name, HotFolderState.Qrj), name, request, job, cancellationToken).ConfigureAwait(false);
    }

    private async Task SubmitAsync(string path, string name, JobRequestFile request, HotFolderJob job, CancellationToken cancellationToken)
    {
        var submitted = images is null ? job.Job : await images.WithHashesAsync(job.Job, cancellationToken).ConfigureAwait(false);
        switch (await farm.AskAsync(new SubmitJob(submitted), cancellationToken).ConfigureAwait(false))
        {
            case JobAccepted:
                return;
            case CommandRefused refused:
                End(path, name, HotFolderStatus.Of(request, HotFolderState.Err, "refused by the farm controller") with { FarmJob = job.Job.JobId, Error = refused.Reason, Notes = job.Notes });
                return;
            case var other:
                throw new InvalidOperationException($"the farm controller answered SubmitJob with {other.GetType().Name}");
        }
    }

    /// <summary>A .QRJ or .INP: submitted again if the farm does not know its job (the controller stopped before it answered), else its progress written.</summary>
    private async Task FollowAsync(string path, HotFolderState fileState, FarmState state, CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var text = await File.ReadAllTextAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        var jobId = HotFolderJob.IdOf(name, File.GetLastWriteTimeUtc(path), text);
        var statusPath = HotFolderFiles.StatusPath(options.Folder, name);
        JobRequestFile request;
        try
        {
            request = JobRequestFile.Parse(name, text);
        }
        catch (JobRequestFileException malformed)
        {
            End(path, name, new HotFolderStatus(HotFolderState.Err, "the job request file was changed after it was accepted") { Error = malformed.Message });
            return;
        }

        if (!state.Jobs.TryGetValue(jobId, out var job))
        {
            HotFolderJob prepared;
            try
            {
                prepared = HotFolderJob.Prepare(request, options.Folder, jobId, time.GetUtcNow(), await MasterDataAsync(request, jobId, cancellationToken).ConfigureAwait(false));
            }
            catch (JobRequestFileException refused)
            {
                End(path, name, HotFolderStatus.Of(request, HotFolderState.Err, "refused: the farm cannot burn this job") with { Error = refused.Message });
                return;
            }

            LogResubmitted(logger, name, jobId);
            await SubmitAsync(path, name, request, prepared, cancellationToken).ConfigureAwait(false);
            return;
        }

        var status = HotFolderStatus.Of(request, fileState, Describe(job)) with
        {
            FarmJob = jobId,
            GoodDiscs = job.Verified,
            BadDiscs = job.Rejected,
            InFlight = job.InFlight,
            Notes = [.. HotFolderStatus.ReadValues(statusPath, "Note")],
        };
        var started = job.InFlight > 0 || job.Verified > 0 || job.Rejected > 0 || job.IsFinished;
        if (fileState == HotFolderState.Qrj && started)
        {
            status = status with { State = HotFolderState.Inp };
            status.Write(options.Folder, name, time.GetUtcNow());
            var inProgress = HotFolderFiles.PathOf(options.Folder, name, HotFolderState.Inp);
            if (!TryMove(path, inProgress))
            {
                return;
            }

            path = inProgress;
        }

        if (job.IsFinished)
        {
            DeleteFiles(request, name);
            var done = job.Status == JobStatus.Completed;
            End(path, name, status with { State = done ? HotFolderState.Don : HotFolderState.Err, Error = done ? null : job.Why ?? job.Status.ToString() });
            LogFinished(logger, name, jobId, job.Status);
            return;
        }

        var key = (status.State, status.GoodDiscs, status.BadDiscs, status.InFlight, status.CurrentStatus);
        if (!_written.TryGetValue(name, out var last) || last != key)
        {
            status.Write(options.Folder, name, time.GetUtcNow());
            _written[name] = key;
        }
    }

    private static string Describe(JobState job) => job.Status switch
    {
        JobStatus.Completed => $"done: {job.Verified} of {job.Discs} discs verified, {job.Rejected} rejected",
        JobStatus.Failed => $"failed: {job.Why}",
        JobStatus.Cancelled when job.InFlight > 0 => $"cancelling: {job.InFlight} burns still in flight ({job.Why})",
        JobStatus.Cancelled => $"cancelled: {job.Why}",
        JobStatus.Held => $"held: {job.Why ?? "by an operator"}",
        _ when job.InFlight > 0 => $"burning: {job.Verified} of {job.Discs} discs verified, {job.InFlight} in flight",
        _ when job.Verified > 0 || job.Rejected > 0 => $"in progress: {job.Verified} of {job.Discs} discs verified, waiting for a drive",
        _ => $"queued: waiting for a drive with {job.MediaType} blanks",
    };

    /// <summary>DeleteFiles=YES: the job's subfolder of the hot folder goes once the job ended, as with PTBurn (pass, fail or abort).</summary>
    private void DeleteFiles(JobRequestFile request, string name)
    {
        string? target;
        try
        {
            target = HotFolderJob.DeletionOf(request, options.Folder);
        }
        catch (JobRequestFileException)
        {
            return; // refused when it was taken; a file edited since is not trusted to delete anything
        }

        if (target is not null && Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
            LogDeleted(logger, name, target);
        }
    }

    /// <summary>
    /// A Data= request's folder mastered (ISO 9660 + Joliet) into <c>.mastered/JOBID.iso</c> in the hot
    /// folder, once: a controller restarted after mastering finds the image (written under another
    /// name and renamed when whole) and submits it; null for an ImageFile= request. The scan waits for
    /// the mastering (a big folder holds up the other requests for as long as it takes to read it).
    /// </summary>
    private async Task<string?> MasterDataAsync(JobRequestFile request, string jobId, CancellationToken cancellationToken)
    {
        if (HotFolderJob.DataFolderOf(request, options.Folder) is not { } data)
        {
            return null;
        }

        var image = MasteredImageOf(jobId);
        if (File.Exists(image))
        {
            return image;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(image)!);
        var partial = image + ".part";
        File.Delete(partial);
        try
        {
            await FolderSources.MasterAsync([data], partial, request.Media ?? new SubmitJobBody().Media, TextWriter.Null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is ArgumentException or DeviceException or IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw new JobRequestFileException(request.LineOf("Data"), $"Data={data} cannot be mastered: {failure.Message}");
        }

        File.Move(partial, image);
        return image;
    }

    private string MasteredImageOf(string jobId) => Path.Combine(options.Folder, ".mastered", jobId + ".iso");

    /// <summary>Writes the final status, then renames the request to .DON or .ERR (replacing one of an earlier request of the name).</summary>
    private void End(string path, string name, HotFolderStatus status)
    {
        status.Write(options.Folder, name, time.GetUtcNow());
        _written.Remove(name);
        if (status.FarmJob is { } jobId && File.Exists(MasteredImageOf(jobId)))
        {
            File.Delete(MasteredImageOf(jobId)); // a Data= job's image: nothing burns it any more
        }

        if (status.State == HotFolderState.Err && status.Error is { } error)
        {
            LogRefused(logger, name, error);
        }

        try
        {
            File.Move(path, HotFolderFiles.PathOf(options.Folder, name, status.State), overwrite: true);
        }
        catch (FileNotFoundException)
        {
            // Another controller watching the folder moved it first.
        }
    }

    /// <summary>Renames; false when the file is gone (another controller watching the folder took it).</summary>
    private static bool TryMove(string from, string to)
    {
        try
        {
            File.Move(from, to);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The file's text, or null while another process has it open for writing (it is not finished).</summary>
    private static Content? ReadExclusively(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return new Content(reader.ReadToEnd());
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed record Content(string Text);

    [LoggerMessage(EventId = 3600, Level = LogLevel.Warning, Message = "Watching the hot folder {Folder} for job request files (.JRQ)")]
    private static partial void LogWatching(ILogger logger, string folder);

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Hot folder: {Name}.JRQ taken as job {JobId}: {Copies} copies of {ImagePath}")]
    private static partial void LogTaken(ILogger logger, string name, string jobId, int copies, string imagePath);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Warning, Message = "Hot folder: {Name} ends .ERR: {Reason}")]
    private static partial void LogRefused(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 3603, Level = LogLevel.Information, Message = "Hot folder: {Name} (job {JobId}) ended {Status}")]
    private static partial void LogFinished(ILogger logger, string name, string jobId, JobStatus status);

    [LoggerMessage(EventId = 3604, Level = LogLevel.Information, Message = "Hot folder: {Name} submitted again as job {JobId} (the farm did not have it)")]
    private static partial void LogResubmitted(ILogger logger, string name, string jobId);

    [LoggerMessage(EventId = 3605, Level = LogLevel.Warning, Message = "Hot folder: waiting for the farm controller: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(EventId = 3606, Level = LogLevel.Warning, Message = "Hot folder {Folder} cannot be read or written: {Reason}")]
    private static partial void LogFolderTrouble(ILogger logger, string folder, string reason);

    [LoggerMessage(EventId = 3607, Level = LogLevel.Information, Message = "Hot folder: {Name} deleted its files {Target} (DeleteFiles=YES)")]
    private static partial void LogDeleted(ILogger logger, string name, string target);
}
