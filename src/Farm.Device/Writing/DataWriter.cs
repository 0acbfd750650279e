using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

/// <summary>
/// Writes one image to the disc in a drive, in the five steps of IWriteEngine2 (seed 000):
/// prepare, check the medium is large enough, initialise, WRITE, finish (SYNCHRONIZE CACHE and
/// the profile's CLOSE sequence, polling TEST UNIT READY while the drive works). Then, on request,
/// verifies by reading back exactly the image's sectors.
/// </summary>
public sealed partial class DataWriter
{
    private readonly MmcDrive drive;
    private readonly DataWriterOptions options;

    public DataWriter(MmcDrive drive, DataWriterOptions? options = null)
    {
        this.drive = drive ?? throw new ArgumentNullException(nameof(drive));
        this.options = (options ?? new DataWriterOptions()).Validate();
    }

    /// <summary>Validates the medium, writes the image and closes the disc.</summary>
    public async Task<WriteResult> WriteAsync(ImageSource image, IProgress<WriteProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var started = drive.Time.GetTimestamp();
        void Report(WriteAction action, long start, long lastRead, long lastWritten, long used = 0) =>
            progress?.Report(new WriteProgress(action, start, image.Blocks, lastRead, lastWritten, options.FifoBytes, used, drive.Time.GetElapsedTime(started)));

        Report(WriteAction.ValidatingMedia, 0, -1, -1);
        var target = await ValidateMediumAsync(image, cancellationToken).ConfigureAwait(false);

        Report(WriteAction.InitializingHardware, target.StartLba, -1, -1);
        await drive.PreventMediumRemovalAsync(true, cancellationToken).ConfigureAwait(false);
        try
        {
            var chunkBytes = ChunkBytesFor(target.Info);
            var hash = await PumpAsync(image, target.StartLba, chunkBytes, (lastRead, lastWritten, used) =>
                Report(WriteAction.WritingData, target.StartLba, lastRead, lastWritten, used), cancellationToken).ConfigureAwait(false);

            Report(WriteAction.Finalization, target.StartLba, target.StartLba + image.Blocks - 1, target.StartLba + image.Blocks - 1);
            await drive.SynchronizeCacheAsync(cancellationToken).ConfigureAwait(false);
            foreach (var step in CloseSequences.For(target.Info.Profile, options.ForceMediaToBeClosed))
            {
                await drive.CloseAsync(step.Function, (ushort)(step.AddressesTrack ? target.TrackNumber : target.SessionNumber), cancellationToken).ConfigureAwait(false);
            }

            Report(WriteAction.Completed, target.StartLba, target.StartLba + image.Blocks - 1, target.StartLba + image.Blocks - 1);
            return new WriteResult(target.Info.Profile, target.StartLba, image.Blocks, hash, drive.Time.GetElapsedTime(started));
        }
        finally
        {
            // Best effort: a drive that just failed may refuse this too, and that must not hide the real error.
            try
            {
                await drive.PreventMediumRemovalAsync(false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DeviceException)
            {
            }
        }
    }

    private int ChunkBytesFor(ProfileInfo info)
    {
        var wanted = options.ChunkBytes ?? info.PreferredChunkBytes;
        var cap = drive.MaxTransferBytes / MmcDrive.BlockSize * MmcDrive.BlockSize;
        return cap <= 0 ? wanted : Math.Min(wanted, cap);
    }

    /// <summary>Where the write goes, found by the validation step.</summary>
    private sealed record Target(ProfileInfo Info, long StartLba, long FreeBlocks, int TrackNumber, int SessionNumber);

    private async Task<Target> ValidateMediumAsync(ImageSource image, CancellationToken cancellationToken)
    {
        await drive.WaitUntilReadyAsync(afterMediumChange: true, cancellationToken).ConfigureAwait(false);
        var profile = await drive.GetCurrentProfileAsync(cancellationToken).ConfigureAwait(false);
        if (profile == Profile.None)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderMediaNoMedia, Disposition.NeedsOperator, $"{drive.Name}: there is no disc in the drive"));
        }

        var info = Profiles.All.FirstOrDefault(p => p.Profile == profile)
            ?? throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.NeedsOperator, $"{drive.Name}: the disc's profile {(ushort)profile:X4}h is not a writable medium the farm supports ({Profiles.Names})"));

        var disc = await drive.ReadDiscInformationAsync(cancellationToken).ConfigureAwait(false);
        Target target;
        if (info.SequentialOnly)
        {
            if (disc.Status == DiscStatus.Complete)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.FailDisc, $"{drive.Name}: the {info.Name} disc is closed; no session can be added"));
            }

            // The invisible track (number FFh) is where a new session's data goes.
            var track = await drive.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, cancellationToken).ConfigureAwait(false);
            if (!track.NextWritableAddressValid)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderInvalidResponseFromDevice, Disposition.FailDisc, $"{drive.Name}: the invisible track has no valid next writable address on a {disc.Status} disc"));
            }

            target = new Target(info, track.NextWritableAddress, track.FreeBlocks, track.TrackNumber, track.SessionNumber);
        }
        else
        {
            // Rewritable media are written from sector 0 (IDiscFormat2Data::Write remarks).
            var capacity = await drive.ReadCapacityAsync(cancellationToken).ConfigureAwait(false);
            target = new Target(info, 0, (long)capacity.LastLogicalBlockAddress + 1, 1, 1);
        }

        if (image.Blocks > target.FreeBlocks)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.V1DiscFull,
                Disposition.NeedsOperator,
                $"{drive.Name}: the image needs {image.Blocks:N0} blocks but the {info.Name} disc has {target.FreeBlocks:N0} free; use larger media"));
        }

        return target;
    }
}
