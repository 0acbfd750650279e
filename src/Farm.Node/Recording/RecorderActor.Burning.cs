using System.Threading.Channels;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

public sealed partial class RecorderActor
{
    /// <summary>
    /// One attempt at one copy: load a blank, write, close, verify, bin the disc. A device error
    /// fails the disc (reject bin) and is reported with its IMAPI2 code and disposition; anything
    /// else is a bug or a dead device and crashes the actor, whose restart reports the interrupted
    /// disc from the journal, exactly as after a power cut.
    /// </summary>
    private async Task BurnAsync(CopyAssigned assignment, CancellationToken cancellationToken)
    {
        var mmc = drive ?? throw new InvalidOperationException($"drive {DriveId} has not started");
        await PersistAsync(new BurnAssigned(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, assignment.ImageBlocks), cancellationToken).ConfigureAwait(false);
        MoveTo(RecorderState.Loading);
        Observe(s => s with { JobId = assignment.JobId, Copy = assignment.Copy, LastWrittenLba = -1, TotalBlocks = assignment.ImageBlocks, BytesPerSecond = 0, LastError = null });

        string? discId = null;
        long lastWritten = -1;
        try
        {
            var image = ImageSource.Open(assignment.ImagePath);
            discId = await tower.LoadBlankAsync(DriveId, assignment.MediaType, cancellationToken).ConfigureAwait(false);
            MoveTo(RecorderState.Preparing);
            await PersistAsync(new DiscLoaded(DriveId, assignment.JobId, assignment.Copy, discId, assignment.MediaType), cancellationToken).ConfigureAwait(false);

            var writer = new DataWriter(mmc, options.Writer with { Verify = assignment.Verify });
            var progress = new ProgressPersister(this, assignment, discId);
            WriteResult written;
            try
            {
                written = await writer.WriteAsync(image, progress, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Whatever happened, the last position reached the journal before we go on.
                lastWritten = await progress.CompleteAsync().ConfigureAwait(false);
            }

            await PersistAsync(new BurnFinished(DriveId, assignment.JobId, assignment.Copy, written.Blocks, written.Duration), cancellationToken).ConfigureAwait(false);

            var sha256 = written.ImageSha256;
            if (assignment.Verify != VerifyMode.None)
            {
                MoveTo(RecorderState.Verifying);
                var verified = await Verifier.ReadBackAsync(mmc, written.StartLba, written.Blocks, written.ImageSha256, cancellationToken).ConfigureAwait(false);
                if (!verified.Matches)
                {
                    throw new DeviceException(DeviceErrors.Of(
                        ImapiErrors.UnexpectedResponseFromDevice,
                        Disposition.FailDisc,
                        $"verify failed: the disc reads back as SHA-256 {verified.DiscSha256}, the image is {written.ImageSha256}"));
                }

                await PersistAsync(new DiscVerified(DriveId, assignment.JobId, assignment.Copy, verified.DiscSha256, verified.Duration), cancellationToken).ConfigureAwait(false);
                sha256 = verified.DiscSha256;
            }

            MoveTo(RecorderState.Unloading);
            await tower.UnloadAsync(DriveId, discId, Bins.Output, null, cancellationToken).ConfigureAwait(false);
            await PersistAsync(new DiscUnloaded(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, discId, Bins.Output, sha256), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is DeviceException or TowerException)
        {
            var reason = failure is DeviceException device
                ? device.Error.ToFailureReason()
                : TowerFailure((TowerException)failure);
            await FailAttemptAsync(assignment, discId, Math.Max(lastWritten, Current.LastWrittenLba), reason, cancellationToken).ConfigureAwait(false);
            if (reason.Disposition == Disposition.DriveToMaintenance || history.ConsecutiveFailures >= options.MaxConsecutiveFailures)
            {
                var why = reason.Disposition == Disposition.DriveToMaintenance
                    ? $"the drive reported a fault: {reason}"
                    : $"{history.ConsecutiveFailures} discs failed in a row; last: {reason}";
                await PersistAsync(new DriveEnteredMaintenance(DriveId, why), cancellationToken).ConfigureAwait(false);
                MoveTo(RecorderState.Maintenance);
                return;
            }
        }

        await PersistAsync(new DriveIdle(DriveId), cancellationToken).ConfigureAwait(false);
        MoveTo(RecorderState.Idle);
        Observe(s => s with { JobId = null, BytesPerSecond = 0 });
    }

    private async Task FailAttemptAsync(CopyAssigned assignment, string? discId, long lastWritten, FailureReason reason, CancellationToken cancellationToken)
    {
        LogBurnFailed(DriveId, assignment.JobId, assignment.Copy, Current.State, reason.ToString());
        var phase = Current.State.ToString();
        Observe(s => s with { LastError = reason.ToString() });
        await PersistAsync(new BurnFailed(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, phase, lastWritten, reason), cancellationToken).ConfigureAwait(false);
        if (discId is null)
        {
            MoveTo(RecorderState.Idle);
            return;
        }

        MoveTo(RecorderState.Unloading);
        await tower.UnloadAsync(DriveId, discId, Bins.Reject, reason.ToString(), cancellationToken).ConfigureAwait(false);
        await PersistAsync(new DiscUnloaded(DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, discId, Bins.Reject, null), cancellationToken).ConfigureAwait(false);
    }

    private static FailureReason TowerFailure(TowerException fault) => new(
        $"TOWER_{fault.Fault}".ToUpperInvariant(),
        0,
        fault.Fault == TowerFault.NoSuchDiscOrDrive ? Disposition.FailDisc : Disposition.NeedsOperator,
        fault.Message);

    /// <summary>
    /// Turns the writer's progress into <see cref="SectorsWritten"/> events, bounded by time and
    /// bytes. The writer's loop only drops the latest position into a one-slot channel; a separate
    /// task appends to the journal, so a slow disk never stalls the drive's WRITE stream.
    /// </summary>
    private sealed class ProgressPersister : IProgress<WriteProgress>
    {
        private readonly RecorderActor owner;
        private readonly CopyAssigned assignment;
        private readonly string discId;
        private readonly Channel<WriteProgress> latest = Channel.CreateBounded<WriteProgress>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        private readonly Task persisting;
        private bool started;
        private long persistedLba = -1;

        public ProgressPersister(RecorderActor owner, CopyAssigned assignment, string discId)
        {
            this.owner = owner;
            this.assignment = assignment;
            this.discId = discId;
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

                    owner.Observe(s => s with { LastWrittenLba = value.LastWrittenLba, BytesPerSecond = Speed(value) });
                    latest.Writer.TryWrite(value);
                    break;
                case WriteAction.Finalization when owner.Current.State == RecorderState.Writing:
                    owner.MoveTo(RecorderState.Closing);
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

        private async Task PersistLoopAsync()
        {
            var lastTime = owner.time.GetTimestamp();
            var bytesBound = owner.options.ProgressBytes / MmcDrive.BlockSize;
            WriteProgress? pending = null;
            await foreach (var value in latest.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                if (!started)
                {
                    started = true;
                    await owner.PersistAsync(new BurnStarted(owner.DriveId, assignment.JobId, assignment.Copy, discId, value.StartLba, value.SectorCount), CancellationToken.None).ConfigureAwait(false);
                }

                if (value.Action == WriteAction.Finalization)
                {
                    await PersistAsync(value).ConfigureAwait(false);
                    await owner.PersistAsync(new BurnClosing(owner.DriveId, assignment.JobId, assignment.Copy, value.LastWrittenLba), CancellationToken.None).ConfigureAwait(false);
                    pending = null;
                    continue;
                }

                pending = value;
                if (value.LastWrittenLba - persistedLba >= bytesBound || owner.time.GetElapsedTime(lastTime) >= owner.options.ProgressInterval)
                {
                    await PersistAsync(value).ConfigureAwait(false);
                    lastTime = owner.time.GetTimestamp();
                    pending = null;
                }
            }

            if (pending is not null)
            {
                await PersistAsync(pending).ConfigureAwait(false);
            }
        }

        private async Task PersistAsync(WriteProgress value)
        {
            if (value.LastWrittenLba <= persistedLba)
            {
                return;
            }

            // Not cancellable: the position must reach the journal even while the burn is being cancelled.
            await owner.PersistAsync(new SectorsWritten(owner.DriveId, assignment.JobId, assignment.Copy, value.LastWrittenLba, value.SectorCount, Speed(value)), CancellationToken.None).ConfigureAwait(false);
            persistedLba = value.LastWrittenLba;
        }
    }

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} failed while {State}: {Reason}")]
    private partial void LogBurnFailed(string driveId, string jobId, int copy, RecorderState state, string reason);
}
