using System.Threading.Channels;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

public sealed partial class RecorderActor
{
    /// <summary>One attempt at one copy, as the drive accepted it (from the assignment, or from the journal on resume).</summary>
    private sealed record AttemptInfo(string JobId, int Copy, int Attempt, string ImagePath, long TotalBlocks, VerifyMode Verify, string MediaType, string? Label)
    {
        public static AttemptInfo From(CopyAssigned a) => new(a.JobId, a.Copy, a.Attempt, a.ImagePath, a.ImageBlocks, a.Verify, a.MediaType, a.Label);
    }

    /// <summary>The device error that means the handle is dead: the actor restarts to open the device again.</summary>
    private sealed class DeviceLostException(string message, Exception inner) : Exception(message, inner);

    private async Task BurnAsync(CopyAssigned assignment, CancellationToken cancellationToken)
    {
        var attempt = AttemptInfo.From(assignment);
        await PersistAsync(new BurnAssigned(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, assignment.ImageBlocks, assignment.ImagePath, assignment.Verify, assignment.AllowResume, assignment.Label), cancellationToken).ConfigureAwait(false);
        MoveTo(RecorderState.Loading);
        Observe(s => s with { JobId = assignment.JobId, Copy = assignment.Copy, LastWrittenLba = -1, TotalBlocks = assignment.ImageBlocks, BytesPerSecond = 0, LastError = null });
        if (AbortWasRequested(attempt, out var why))
        {
            // Aborted while it waited in the mailbox: report it without spending a blank.
            await FailAttemptAsync(attempt, null, -1, Aborted("queued", -1, why), cancellationToken, BurnFailed.AbortedPhase).ConfigureAwait(false);
            await SettleAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await RunAttemptAsync(attempt, discId: null, resumeFromLba: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Load a blank (unless <paramref name="discId"/> is already in the drive), write (all of it, or
    /// from <paramref name="resumeFromLba"/> on a rewritable disc), close, verify, bin the disc. A
    /// device or tower error fails the disc (reject bin) and is reported with its IMAPI2 code; its
    /// disposition decides what the drive does next. Anything else is a bug or a dead device and
    /// crashes the actor, whose restart reports the interrupted disc from the journal, exactly as
    /// after a power cut.
    /// </summary>
    private async Task RunAttemptAsync(AttemptInfo attempt, string? discId, long? resumeFromLba, CancellationToken cancellationToken)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        BeginAbortable(attempt, abort);
        try
        {
            await RunAbortableAttemptAsync(attempt, discId, resumeFromLba, abort, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            EndAbortable();
        }
    }

    private async Task RunAbortableAttemptAsync(AttemptInfo attempt, string? discId, long? resumeFromLba, CancellationTokenSource abort, CancellationToken cancellationToken)
    {
        var mmc = drive ?? throw new InvalidOperationException($"drive {DriveId} has not started");
        long lastWritten = -1;
        try
        {
            var image = ImageSource.Open(attempt.ImagePath);
            if (discId is null)
            {
                discId = await tower.LoadBlankAsync(DriveId, attempt.MediaType, cancellationToken).ConfigureAwait(false);
                MoveTo(RecorderState.Preparing);
                await PersistAsync(new DiscLoaded(DriveId, attempt.JobId, attempt.Copy, discId, attempt.MediaType), cancellationToken).ConfigureAwait(false);
            }

            abort.Token.ThrowIfCancellationRequested();

            var progress = new ProgressPersister(this, attempt, discId, resumeFromLba);
            WriteResult written;
            try
            {
                written = resumeFromLba is { } from
                    ? await RangeWriter.WriteAsync(mmc, image, from, options.Writer, progress, abort.Token).ConfigureAwait(false)
                    : await new DataWriter(mmc, options.Writer with { Verify = attempt.Verify }).WriteAsync(image, progress, abort.Token).ConfigureAwait(false);
            }
            finally
            {
                // Whatever happened (an error, a cancelled burn, a shutdown), the last position
                // reached the journal before we go on.
                lastWritten = await progress.CompleteAsync().ConfigureAwait(false);
            }

            await PersistAsync(new BurnFinished(DriveId, attempt.JobId, attempt.Copy, written.Blocks, written.Duration), cancellationToken).ConfigureAwait(false);
            Observe(s => s with { BufferFill = 0, CurrentBytesPerSecond = 0 });

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

                await PersistAsync(new DiscVerified(DriveId, attempt.JobId, attempt.Copy, verified.DiscSha256, verified.Duration), cancellationToken).ConfigureAwait(false);
                sha256 = verified.DiscSha256;
            }

            EndAbortable();
            MoveTo(RecorderState.Unloading);
            var label = attempt.Label is null ? null : LabelTemplate.Merge(attempt.Label, attempt.JobId, attempt.Copy, DriveId, discId, time.GetUtcNow());
            if (!await TryUnloadAsync(attempt.JobId, attempt.Copy, attempt.Attempt, discId, Bins.Output, null, sha256, cancellationToken, label).ConfigureAwait(false))
            {
                // The disc is good and verified; it goes to the output bin once an operator frees the tower.
                return;
            }
        }
        catch (Exception cut) when (IsAbort(cut, abort, cancellationToken))
        {
            var lba = Math.Max(lastWritten, Current.LastWrittenLba);
            var reason = Aborted(Current.State.ToString().ToLowerInvariant(), lba, AbortWasRequested(attempt, out var why) ? why : "aborted");
            if (await FailAttemptAsync(attempt, discId, lba, reason, cancellationToken, BurnFailed.AbortedPhase).ConfigureAwait(false))
            {
                await SettleAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }
        catch (Exception failure) when (failure is DeviceException or TowerException)
        {
            var reason = failure is DeviceException device
                ? device.Error.ToFailureReason()
                : TowerFailure((TowerException)failure);
            if (await FailAttemptAsync(attempt, discId, Math.Max(lastWritten, Current.LastWrittenLba), reason, cancellationToken).ConfigureAwait(false))
            {
                await ActOnAsync(failure, reason, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the failure's disposition asks for, once the disc is in the reject bin.</summary>
    private async Task ActOnAsync(Exception failure, FailureReason reason, CancellationToken cancellationToken)
    {
        if (failure is DeviceException { Error.Error: var error } && error == ImapiErrors.DeviceNotExist)
        {
            // The handle is dead: let the supervisor restart the actor, which opens the device
            // again (with back-off); a device that stays gone makes it give up: maintenance.
            throw new DeviceLostException($"drive {DriveId}: {reason}", failure);
        }

        if (reason.Disposition == Disposition.DriveToMaintenance || history.ConsecutiveFailures >= options.MaxConsecutiveFailures)
        {
            var why = reason.Disposition == Disposition.DriveToMaintenance
                ? $"the drive reported a fault: {reason}"
                : $"{history.ConsecutiveFailures} discs failed in a row; last: {reason}";
            await PersistAsync(new DriveEnteredMaintenance(DriveId, why), cancellationToken).ConfigureAwait(false);
            MoveTo(RecorderState.Maintenance);
            Observe(s => s with { JobId = null, BytesPerSecond = 0, CurrentBytesPerSecond = 0, BufferFill = 0 });
            return;
        }

        if (reason.Disposition == Disposition.NeedsOperator)
        {
            var hold = failure is TowerException ? DriveHolds.Tower : DriveHolds.Drive;
            await NeedOperatorAsync(hold, reason.ImapiName, reason.ToString(), cancellationToken).ConfigureAwait(false);
        }

        // FailDisc (and retries the device layer gave up on): the copy goes back to the
        // controller for fresh media; the drive takes the next one.
        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports the failed attempt and rejects its disc; false when the disc could not leave the drive (the drive is then held).</summary>
    private async Task<bool> FailAttemptAsync(AttemptInfo attempt, string? discId, long lastWritten, FailureReason reason, CancellationToken cancellationToken, string? phase = null)
    {
        LogBurnFailed(DriveId, attempt.JobId, attempt.Copy, Current.State, reason.ToString());
        phase ??= Current.State.ToString();
        Observe(s => s with { LastError = reason.ToString(), BufferFill = 0, CurrentBytesPerSecond = 0 });
        await PersistAsync(new BurnFailed(DriveId, attempt.JobId, attempt.Copy, attempt.Attempt, phase, lastWritten, reason), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Turns the writer's progress into <see cref="SectorsWritten"/> events, bounded by time and
    /// bytes (<see cref="ProgressBound"/>). The writer's loop only drops the latest position into a
    /// one-slot channel; a separate task appends to the journal, so a slow disk never stalls the
    /// drive's WRITE stream. A position not yet persisted is persisted when its time is up even if
    /// the drive reports nothing new, and on completion whatever ended the write.
    /// </summary>
    private sealed class ProgressPersister : IProgress<WriteProgress>
    {
        private static readonly TimeSpan SpeedWindow = TimeSpan.FromMilliseconds(500);
        private readonly RecorderActor owner;
        private readonly AttemptInfo attempt;
        private readonly string discId;
        private readonly long? resumeFromLba;
        private readonly ProgressBound bound;
        private readonly Channel<WriteProgress> latest = Channel.CreateBounded<WriteProgress>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        private readonly Task persisting;
        private bool started;
        private long persistedLba = -1;
        private long lastPersistTimestamp;
        private (TimeSpan Elapsed, long Sectors) speedMark;

        /// <param name="resumeFromLba">Where a resumed burn starts writing: the writer reports the image's start on the disc (0 on rewritable media), but the burn starts here.</param>
        public ProgressPersister(RecorderActor owner, AttemptInfo attempt, string discId, long? resumeFromLba = null)
        {
            this.owner = owner;
            this.attempt = attempt;
            this.discId = discId;
            this.resumeFromLba = resumeFromLba;
            bound = ProgressBound.From(owner.options);
            lastPersistTimestamp = owner.time.GetTimestamp();
            persisting = Task.Run(PersistLoopAsync);
        }

        /// <summary>
        /// Called on the writer's own flow (the actor's logical thread): state changes happen
        /// here, in order; only the journal appends run on the persisting task.
        /// </summary>
        public void Report(WriteProgress value)
        {
            switch (value.Action)
            {
                case WriteAction.WritingData:
                    if (owner.Current.State == RecorderState.Preparing)
                    {
                        owner.MoveTo(RecorderState.Writing);
                    }

                    var current = CurrentSpeed(value);
                    owner.Observe(s => s with
                    {
                        LastWrittenLba = value.LastWrittenLba,
                        BytesPerSecond = Speed(value),
                        CurrentBytesPerSecond = current ?? s.CurrentBytesPerSecond,
                        BufferFill = value.TotalSystemBuffer > 0 ? Math.Clamp((double)value.UsedSystemBuffer / value.TotalSystemBuffer, 0, 1) : 0,
                    });
                    latest.Writer.TryWrite(value);
                    break;
                case WriteAction.Finalization when owner.Current.State == RecorderState.Writing:
                    owner.MoveTo(RecorderState.Closing);
                    owner.Observe(s => s with { BufferFill = 0 });
                    latest.Writer.TryWrite(value);
                    break;
            }
        }

        /// <summary>Stops the loop after persisting the last position; returns the last persisted LBA.</summary>
        public async Task<long> CompleteAsync()
        {
            latest.Writer.TryComplete();
            await persisting.ConfigureAwait(false);
            return persistedLba;
        }

        private static double Speed(WriteProgress value) =>
            value.Elapsed > TimeSpan.Zero ? value.SectorsWritten * MmcDrive.BlockSize / value.Elapsed.TotalSeconds : 0;

        // Over the last half second or more: the drive's speed now, not the burn's average.
        private double? CurrentSpeed(WriteProgress value)
        {
            var span = value.Elapsed - speedMark.Elapsed;
            if (span < SpeedWindow)
            {
                return null;
            }

            var speed = (value.SectorsWritten - speedMark.Sectors) * (double)MmcDrive.BlockSize / span.TotalSeconds;
            speedMark = (value.Elapsed, value.SectorsWritten);
            return speed;
        }

        private async Task PersistLoopAsync()
        {
            var reader = latest.Reader;
            WriteProgress? pending = null;
            while (true)
            {
                if (pending is null)
                {
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                else if (!await WaitForValueOrDueAsync(reader).ConfigureAwait(false))
                {
                    // Its time is up and the drive reported nothing newer: persist what we have.
                    await PersistAsync(pending).ConfigureAwait(false);
                    pending = null;
                    continue;
                }

                if (!reader.TryRead(out var value))
                {
                    if (reader.Completion.IsCompleted)
                    {
                        break;
                    }

                    continue;
                }

                if (!started)
                {
                    started = true;
                    await owner.PersistAsync(new BurnStarted(owner.DriveId, attempt.JobId, attempt.Copy, discId, resumeFromLba ?? value.StartLba, value.SectorCount), CancellationToken.None).ConfigureAwait(false);
                }

                if (value.Action == WriteAction.Finalization)
                {
                    await PersistAsync(value).ConfigureAwait(false);
                    await owner.PersistAsync(new BurnClosing(owner.DriveId, attempt.JobId, attempt.Copy, value.LastWrittenLba), CancellationToken.None).ConfigureAwait(false);
                    pending = null;
                    continue;
                }

                pending = value;
                if (bound.IsDue(persistedLba, value.LastWrittenLba, owner.time.GetElapsedTime(lastPersistTimestamp)))
                {
                    await PersistAsync(value).ConfigureAwait(false);
                    pending = null;
                }
            }

            if (pending is not null)
            {
                await PersistAsync(pending).ConfigureAwait(false);
            }
        }

        /// <summary>True when a value (or the end) arrived before the pending position's time was up.</summary>
        private async Task<bool> WaitForValueOrDueAsync(ChannelReader<WriteProgress> reader)
        {
            var due = bound.Interval - owner.time.GetElapsedTime(lastPersistTimestamp);
            if (due <= TimeSpan.Zero)
            {
                return false;
            }

            using var stop = new CancellationTokenSource();
            var arrival = reader.WaitToReadAsync(stop.Token).AsTask();
            var timeUp = Task.Delay(due, owner.time, stop.Token);
            var first = await Task.WhenAny(arrival, timeUp).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            return first == arrival;
        }

        private async Task PersistAsync(WriteProgress value)
        {
            lastPersistTimestamp = owner.time.GetTimestamp();
            if (value.LastWrittenLba <= persistedLba)
            {
                return;
            }

            // Not cancellable: the position must reach the journal even while the burn is being cancelled.
            await owner.PersistAsync(new SectorsWritten(owner.DriveId, attempt.JobId, attempt.Copy, value.LastWrittenLba, value.SectorCount, Speed(value)), CancellationToken.None).ConfigureAwait(false);
            persistedLba = value.LastWrittenLba;
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} failed while {State}: {Reason}")]
    private partial void LogBurnFailed(string driveId, string jobId, int copy, RecorderState state, string reason);
}
