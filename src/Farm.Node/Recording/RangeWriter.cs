using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Writing;
using Farm.Messages;

namespace Farm.Node.Recording;

/// <summary>
/// Resumes a burn a crash cut short on an overwritable disc (DVD+RW, DVD-RAM, BD-RE, DVD-RW
/// restricted overwrite): the image's blocks from <c>fromLba</c> to the end are written at their
/// own addresses, as IMAPI2 writes only the changed ranges of a rewritable disc. The writing is
/// the data writer's (IDiscFormat2Data with a block-range list: mode pages, speed, the engine's
/// FIFO and "long write in progress" handling, the profile's close sequence); what is added here
/// is the refusal the data writer does not make: on write-once media a range list is ignored and
/// the whole image would go to a new session, which is no resume at all.
/// </summary>
internal static class RangeWriter
{
    public static async Task<WriteResult> WriteAsync(MmcDrive drive, ImageSource image, long fromLba, DataWriterOptions options, IProgress<WriteProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(fromLba);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fromLba, image.Blocks);
        await drive.WaitUntilReadyAsync(afterMediumChange: true, cancellationToken).ConfigureAwait(false);
        var profile = await drive.GetCurrentProfileAsync(cancellationToken).ConfigureAwait(false);
        var info = Profiles.All.FirstOrDefault(p => p.Profile == profile);
        if (info is null || info.SequentialOnly)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.Df2DataMediaIsNotSupported,
                Disposition.FailDisc,
                $"{drive.Name}: a burn can be resumed only on overwritable media, not on {info?.Name ?? $"profile {(ushort)profile:X4}h"}"));
        }

        // The result carries the whole image's hash (the verify that follows reads all of it).
        var rest = image with { ChangedRanges = [new BlockRange(fromLba, image.Blocks - 1)] };
        return await new DataWriter(drive, options).WriteAsync(rest, progress, cancellationToken).ConfigureAwait(false);
    }
}
