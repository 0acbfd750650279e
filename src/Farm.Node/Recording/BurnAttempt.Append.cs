using Farm.Device.Errors;
using Farm.Device.Mastering;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;

namespace Farm.Node.Recording;

internal sealed partial class BurnAttempt
{
    /// <summary>
    /// An append job's session on the disc just loaded (IMultisessionSequential): the disc's last
    /// session is read, the folder mastered as a new session importing its tree for the disc's next
    /// writable address, and written there (SessionAppender checks again, just before the first
    /// WRITE, that the disc is the one planned for: IMAPI_E_WRONGDISC otherwise), then read back.
    /// A blank or closed disc, or one the session does not fit, is rejected saying why. Returns the
    /// SHA-256 of the session's blocks, the copy's checksum.
    /// </summary>
    private async Task<string> AppendSessionAsync(AttemptInfo attempt, string folder, string discId, CancellationToken cancellationToken)
    {
        var writer = new DataWriter(Mmc, _options.Writer with { Verify = attempt.Verify, ForceMediaToBeClosed = attempt.CloseDisc });
        AppendPlan plan;
        try
        {
            plan = await SessionAppender.PlanAsync(writer, folder, IsoMasteringOptions.Default, cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceException refused) when (refused.Error.Disposition == Disposition.NeedsOperator)
        {
            // A closed or overwritable disc in a tower's input: this disc cannot take the session;
            // the next one may (the copy goes to fresh media, the drive is not to blame).
            throw new DeviceException(refused.Error with { Disposition = Disposition.FailDisc });
        }

        if (plan.Previous is null)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.FailDisc,
                $"{Mmc.Name}: disc {discId} is blank: an append job adds a session to a disc that already holds one (load appendable discs, or submit the folder as an ordinary job)"));
        }

        var persister = new ProgressPersister(this, attempt, discId);
        BurnResult burned;
        try
        {
            burned = await SessionAppender.BurnAsync(writer, plan, new SessionProgress(persister, plan.Image.SessionStart), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await persister.CompleteAsync().ConfigureAwait(false);
        }

        var written = burned.Write;
        await PersistAsync(new BurnFinished(DriveId, attempt.JobId, attempt.Copy, written.Blocks, written.Duration, persister.Curve.Points)).ConfigureAwait(false);
        Observe(s => s with { BufferFill = 0, DriveBufferFill = null, CurrentBytesPerSecond = 0 });
        if (burned.Verify is not { } verified)
        {
            return written.ImageSha256;
        }

        MoveTo(RecorderState.Verifying);
        if (!verified.Matches)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.UnexpectedResponseFromDevice, Disposition.FailDisc,
                $"verify failed: the session from LBA {written.StartLba} reads back as SHA-256 {verified.DiscSha256}, it was mastered as {written.ImageSha256}"));
        }

        await PersistAsync(new DiscVerified(DriveId, attempt.JobId, attempt.Copy, verified.DiscSha256, verified.Duration)).ConfigureAwait(false);
        return verified.DiscSha256;
    }

    /// <summary>
    /// An appended session's progress in the session's own blocks (its first block is 0), as the
    /// farm shows every burn against its total: a session of 40 blocks at LBA 11,786 is 40 blocks
    /// of progress, not a position of 11,826 out of 40.
    /// </summary>
    private sealed class SessionProgress(IProgress<WriteProgress> inner, long sessionStart) : IProgress<WriteProgress>
    {
        public void Report(WriteProgress value) => inner.Report(value with
        {
            StartLba = value.StartLba - sessionStart,
            LastReadLba = value.LastReadLba - sessionStart,
            LastWrittenLba = value.LastWrittenLba - sessionStart,
        });
    }
}
