using Farm.Device.Errors;
using Farm.Device.Towers;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

internal sealed partial class BurnAttempt
{
    /// <summary>
    /// Load a blank (unless <paramref name="discId"/> is already in the drive), write (all of it, or
    /// from <paramref name="resumeFromLba"/> on a rewritable disc), close, verify, bin the disc. A
    /// device or tower error fails the disc (reject bin) and is reported with its IMAPI2 code; its
    /// disposition decides what the drive does next. Anything else is a bug or a dead device and
    /// crashes the recorder, whose restart reports the interrupted disc from the journal, exactly as
    /// after a power cut. True when the recorder should settle the drive afterwards.
    /// </summary>
    private async Task<bool> RunAttemptAsync(AttemptInfo attempt, string? discId, long? resumeFromLba, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        BeginAbortable(attempt, abort);
        try
        {
            return await RunAbortableAttemptAsync(attempt, discId, resumeFromLba, abort, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndAbortable();
        }
    }

    private async Task<bool> RunAbortableAttemptAsync(AttemptInfo attempt, string? discId, long? resumeFromLba, CancellationTokenSource abort, CancellationToken cancellationToken)
    {
        var mmc = Mmc;
        long lastWritten = -1;
        try
        {
            // The WAVs are checked and staged before a blank is taken: a bad file costs no disc.
            using var audio = attempt.AudioTracks is { Count: > 0 } tracks ? await StageAudioAsync(tracks, attempt.AudioText, abort.Token).ConfigureAwait(false) : null;
            var burnsImage = audio is null && attempt.AppendFolder is null;
            using var fetched = burnsImage ? await FetchImageAsync(attempt, abort.Token).ConfigureAwait(false) : null;
            var image = burnsImage ? ImageSource.Open(fetched?.Path ?? attempt.ImagePath) : null;
            if (discId is null)
            {
                discId = await TowerClient.LoadBlankAsync(_tower, DriveId, attempt.MediaType, abort.Token).ConfigureAwait(false);
                MoveTo(RecorderState.Preparing);
                await PersistAsync(new DiscLoaded(DriveId, attempt.JobId, attempt.Copy, discId, attempt.MediaType)).ConfigureAwait(false);
            }

            abort.Token.ThrowIfCancellationRequested();
            if (audio is not null)
            {
                var audioSha256 = await BurnAudioAsync(attempt, audio, discId, abort.Token).ConfigureAwait(false);
                return await UnloadVerifiedAsync(attempt, discId, audioSha256, cancellationToken).ConfigureAwait(false);
            }

            if (attempt.AppendFolder is { } folder)
            {
                var sessionSha256 = await AppendSessionAsync(attempt, folder, discId, abort.Token).ConfigureAwait(false);
                return await UnloadVerifiedAsync(attempt, discId, sessionSha256, cancellationToken).ConfigureAwait(false);
            }

            var progress = new ProgressPersister(this, attempt, discId, resumeFromLba);
            WriteResult written;
            try
            {
                written = resumeFromLba is { } from
                    ? await RangeWriter.WriteAsync(mmc, image!, from, _options.Writer, progress, abort.Token).ConfigureAwait(false)
                    : await WriteWholeAsync(mmc, image!, attempt.Verify, progress, abort.Token).ConfigureAwait(false);
            }
            finally
            {
                // Whatever happened (an error, a cancelled burn, a shutdown), the last position
                // reached the journal before we go on.
                lastWritten = await progress.CompleteAsync().ConfigureAwait(false);
            }

            LogWritten(DriveId, attempt.JobId, attempt.Copy, written.Blocks * MmcDriveBlock, written.WritePhase.TotalSeconds, written.WritePhase > TimeSpan.Zero ? written.Blocks * MmcDriveBlock / 1e6 / written.WritePhase.TotalSeconds : 0, written.Duration.TotalSeconds);
            await PersistAsync(new BurnFinished(DriveId, attempt.JobId, attempt.Copy, written.Blocks, written.Duration, progress.Curve.Points)).ConfigureAwait(false);
            Observe(s => s with { BufferFill = 0, DriveBufferFill = null, CurrentBytesPerSecond = 0 });

            var sha256 = written.ImageSha256;
            if (attempt.Verify != VerifyMode.None)
            {
                MoveTo(RecorderState.Verifying);
                var verified = await Verifier.ReadBackAsync(mmc, written.StartLba, written.Blocks, written.ImageSha256, abort.Token).ConfigureAwait(false);
                if (!verified.Matches)
                {
                    throw new DeviceException(DeviceErrors.Of(
                        ImapiErrors.UnexpectedResponseFromDevice,
                        Disposition.FailDisc,
                        $"verify failed: the disc reads back as SHA-256 {verified.DiscSha256}, the image is {written.ImageSha256}"));
                }

                await PersistAsync(new DiscVerified(DriveId, attempt.JobId, attempt.Copy, verified.DiscSha256, verified.Duration)).ConfigureAwait(false);
                sha256 = verified.DiscSha256;
            }

            return await UnloadVerifiedAsync(attempt, discId, sha256, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception cut) when (IsAbort(cut, abort, cancellationToken))
        {
            var lba = Math.Max(lastWritten, Current.LastWrittenLba);
            var reason = Aborted(Current.State.ToString().ToLowerInvariant(), lba, AbortReason ?? "aborted");
            return await FailAttemptAsync(attempt, discId, lba, reason, cancellationToken, BurnFailed.AbortedPhase).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is DeviceException or TowerException)
        {
            var reason = failure is DeviceException device
                ? device.Error.ToFailureReason()
                : TowerFailure((TowerException)failure);
            return await FailAttemptAsync(attempt, discId, Math.Max(lastWritten, Current.LastWrittenLba), reason, cancellationToken).ConfigureAwait(false)
                && await ActOnAsync(failure, reason).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A good, verified disc goes to the output bin once the controller says it counts (else to the
    /// reject bin with its reason), and once an operator frees the tower if the arm cannot take it.
    /// </summary>
    private async Task<bool> UnloadVerifiedAsync(AttemptInfo attempt, string discId, string? sha256, CancellationToken cancellationToken)
    {
        EndAbortable();
        var answered = await ClaimAsync(attempt.JobId, attempt.Copy, attempt.Attempt, discId, sha256, cancellationToken).ConfigureAwait(false);
        var label = attempt.Label is null ? null : LabelTemplate.Merge(attempt.Label, attempt.JobId, attempt.Copy, DriveId, discId, _time.GetUtcNow());
        return await UnloadAnsweredAsync(answered, sha256, cancellationToken, label).ConfigureAwait(false);
    }

    private const long MmcDriveBlock = Farm.Device.Mmc.MmcDrive.BlockSize;

    /// <summary>
    /// The whole image, read through the node's shared image reads when it has them: the cursor
    /// joins the image's ring at the first WRITE (after the load and the power calibration), where
    /// the drives that start with this one are.
    /// </summary>
    private async Task<WriteResult> WriteWholeAsync(Farm.Device.Mmc.MmcDrive mmc, ImageSource image, VerifyMode verify, IProgress<WriteProgress> progress, CancellationToken cancellationToken)
    {
        var writer = new DataWriter(mmc, _options.Writer with { Verify = verify }, _logger);
        if (Images is not { } images)
        {
            return await writer.WriteAsync(image, progress, cancellationToken).ConfigureAwait(false);
        }

        var source = new DeferredSectorSource(() => images.OpenCursor(image), images.Options.RingBytes);
        await using (source.ConfigureAwait(false))
        {
            return await writer.WriteAsync(source, image.Blocks, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>What the failure's disposition asks for, once the disc is in the reject bin; true when the recorder should settle the drive.</summary>
    private async Task<bool> ActOnAsync(Exception failure, FailureReason reason)
    {
        if (failure is DeviceException { Error.Error: var error } && error == ImapiErrors.DeviceNotExist)
        {
            // The handle is dead: the recorder crashes and its supervisor starts it again, which
            // opens the device again (with back-off); a device that stays gone makes it give up: maintenance.
            throw new DeviceLostException($"drive {DriveId}: {reason}", failure);
        }

        if (reason.Disposition == Disposition.DriveToMaintenance || _history.ConsecutiveFailures >= _options.MaxConsecutiveFailures)
        {
            var why = reason.Disposition == Disposition.DriveToMaintenance
                ? $"the drive reported a fault: {reason}"
                : $"{_history.ConsecutiveFailures} discs failed in a row; last: {reason}";
            await PersistAsync(new DriveEnteredMaintenance(DriveId, why)).ConfigureAwait(false);
            MoveTo(RecorderState.Maintenance);
            Observe(s => s with { JobId = null, BytesPerSecond = 0, CurrentBytesPerSecond = 0, BufferFill = 0, DriveBufferFill = null });
            return false;
        }

        if (reason.Disposition == Disposition.NeedsOperator)
        {
            var hold = failure is TowerException ? DriveHolds.Tower : DriveHolds.Drive;
            await NeedOperatorAsync(hold, reason.ImapiName, reason.ToString()).ConfigureAwait(false);
        }

        // FailDisc (and retries the device layer gave up on): the copy goes back to the
        // controller for fresh media; the drive takes the next one.
        return true;
    }

    /// <summary>Reports the failed attempt and rejects its disc; false when the disc could not leave the drive (the drive is then held).</summary>
    private async Task<bool> FailAttemptAsync(AttemptInfo attempt, string? discId, long lastWritten, FailureReason reason, CancellationToken cancellationToken, string? phase = null)
    {
        LogBurnFailed(DriveId, attempt.JobId, attempt.Copy, Current.State, reason.ToString());
        phase ??= Current.State.ToString();
        Observe(s => s with { LastError = reason.ToString(), BufferFill = 0, DriveBufferFill = null, CurrentBytesPerSecond = 0 });
        await PersistAsync(new BurnFailed(DriveId, attempt.JobId, attempt.Copy, attempt.Attempt, phase, lastWritten, reason)).ConfigureAwait(false);
        if (discId is null)
        {
            MoveTo(RecorderState.Idle);
            return true;
        }

        MoveTo(RecorderState.Unloading);
        return await TryUnloadAsync(attempt.JobId, attempt.Copy, attempt.Attempt, discId, Bins.Reject, reason.ToString(), null, cancellationToken).ConfigureAwait(false);
    }

    private static FailureReason TowerFailure(TowerException fault) => new(
        $"TOWER_{fault.Fault}".ToUpperInvariant(),
        0,
        fault.Fault == TowerFault.NoSuchDiscOrDrive ? Disposition.FailDisc : Disposition.NeedsOperator,
        fault.Message);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Information, Message = "Drive {DriveId}: job {JobId} copy {Copy}: {Bytes} bytes written; write phase {WriteSeconds:F2} s ({MegabytesPerSecond:F1} MB/s, from the first WRITE to the end of SYNCHRONIZE CACHE); {TotalSeconds:F2} s with validation, calibration and closing")]
    private partial void LogWritten(string driveId, string jobId, int copy, long bytes, double writeSeconds, double megabytesPerSecond, double totalSeconds);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} failed while {State}: {Reason}")]
    private partial void LogBurnFailed(string driveId, string jobId, int copy, RecorderState state, string reason);
}

/// <summary>The device error that means the handle is dead: the recorder crashes so its supervisor opens the device again.</summary>
internal sealed class DeviceLostException : Exception
{
    public DeviceLostException() { }

    public DeviceLostException(string message) : base(message) { }

    public DeviceLostException(string message, Exception inner) : base(message, inner) { }
}
