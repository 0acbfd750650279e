using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

public sealed partial class DataWriter
{
    /// <summary>Where the write goes, found by the validation step.</summary>
    private sealed record Target(ProfileInfo Info, long StartLba, long FreeBlocks, int TrackNumber, int SessionNumber);

    /// <summary>The highest block count a write can address (the engine's LBA is a signed 32-bit number).</summary>
    private const long MaxAddressableBlocks = int.MaxValue;

    /// <summary>Step 2: a medium is present, supported, writable, and large enough for the image.</summary>
    private async Task<Target> ValidateMediumAsync(long imageBlocks, CancellationToken cancellationToken)
    {
        await _drive.WaitUntilReadyAsync(afterMediumChange: true, cancellationToken).ConfigureAwait(false);
        var profile = await _drive.GetCurrentProfileAsync(cancellationToken).ConfigureAwait(false);
        if (profile == Profile.None)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderMediaNoMedia, Disposition.NeedsOperator, $"{_drive.Name}: there is no disc in the drive"));
        }

        var info = Profiles.All.FirstOrDefault(p => p.Profile == profile)
            ?? throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.NeedsOperator, $"{_drive.Name}: the disc's profile {(ushort)profile:X4}h is not a writable medium the farm supports ({Profiles.Names})"));

        var disc = await _drive.ReadDiscInformationAsync(cancellationToken).ConfigureAwait(false);
        Target target;
        if (info.SequentialOnly)
        {
            if (disc.Status == DiscStatus.Complete)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.FailDisc, $"{_drive.Name}: the {info.Name} disc is closed; no session can be added"));
            }

            // The invisible track (number FFh) is where a new session's data goes.
            var track = await _drive.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, cancellationToken).ConfigureAwait(false);
            if (track.Damaged)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.FailDisc, $"{_drive.Name}: the {info.Name} disc's open track is damaged (an earlier write failed)"));
            }

            // An open session that already holds data is what an interrupted write leaves; an image
            // appended there would not start a session of its own (IMAPI2 reports such media as
            // NON_EMPTY_SESSION, unsupported).
            if (disc.LastSessionState == SessionState.Incomplete || !track.Blank)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.FailDisc, $"{_drive.Name}: the {info.Name} disc has an open session holding data from an interrupted write; use a fresh disc"));
            }

            if (!track.NextWritableAddressValid)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderInvalidResponseFromDevice, Disposition.FailDisc, $"{_drive.Name}: the invisible track has no valid next writable address on a {disc.Status} disc"));
            }

            // WRITE (10/12) and the write engine address blocks with a signed 32-bit LBA; no disc holds
            // more than 2^31 blocks (BD-R XL 128 GB is about 62.5 million), so an address beyond that is a
            // drive's garbled answer, not a place to write (found by the disturbed-burn fuzzer, seed 530489919).
            if ((long)track.NextWritableAddress + imageBlocks > MaxAddressableBlocks)
            {
                throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderInvalidResponseFromDevice, Disposition.FailDisc, $"{_drive.Name}: the drive reported next writable address {track.NextWritableAddress:N0}, beyond any disc's capacity"));
            }

            target = new Target(info, track.NextWritableAddress, track.FreeBlocks, track.TrackNumber, track.SessionNumber);
        }
        else
        {
            // Rewritable media are written from sector 0 (IDiscFormat2Data::Write remarks).
            var capacity = await _drive.ReadCapacityAsync(cancellationToken).ConfigureAwait(false);
            target = new Target(info, 0, (long)capacity.LastLogicalBlockAddress + 1, 1, 1);
        }

        if (imageBlocks > target.FreeBlocks)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.V1DiscFull,
                Disposition.NeedsOperator,
                $"{_drive.Name}: the image needs {imageBlocks:N0} blocks but the {info.Name} disc has {target.FreeBlocks:N0} free; use larger media"));
        }

        return target;
    }
}
