using System.Security.Cryptography;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Writing;
using Farm.Messages;

namespace Farm.Node.Recording;

/// <summary>
/// Writes only part of an image to an overwritable disc (DVD+RW, DVD-RAM, BD-RE, DVD-RW
/// restricted overwrite): the blocks from <c>fromLba</c> to the end, at their own addresses, as
/// IMAPI2 writes only the changed ranges of a rewritable disc. Used to resume a burn a crash cut
/// short. Built from MmcDrive's commands; the write engine's DataWriter always writes whole images,
/// so this is the minimal "write from LBA X" the node needs until the engine offers one.
/// </summary>
internal static class RangeWriter
{
    public static async Task<WriteResult> WriteAsync(MmcDrive drive, ImageSource image, long fromLba, DataWriterOptions options, IProgress<WriteProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfNegative(fromLba);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromLba, image.Blocks);
        var started = drive.Time.GetTimestamp();
        void Report(WriteAction action, long lastWritten) =>
            progress.Report(new WriteProgress(action, fromLba, image.Blocks, lastWritten, lastWritten, options.FifoBytes, 0, drive.Time.GetElapsedTime(started)));

        Report(WriteAction.ValidatingMedia, fromLba - 1);
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

        var capacity = await drive.ReadCapacityAsync(cancellationToken).ConfigureAwait(false);
        if (image.Blocks > (long)capacity.LastLogicalBlockAddress + 1)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.V1DiscFull, Disposition.FailDisc, $"{drive.Name}: the image needs {image.Blocks:N0} blocks; the {info.Name} disc has {(long)capacity.LastLogicalBlockAddress + 1:N0}"));
        }

        // The whole image's hash, for the verify that follows (the disc must match all of it).
        string sha256;
        await using (var whole = image.OpenRead())
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(whole, cancellationToken).ConfigureAwait(false));
        }

        var chunkBytes = Math.Min(options.ChunkBytes ?? info.PreferredChunkBytes, drive.MaxTransferBytes / MmcDrive.BlockSize * MmcDrive.BlockSize);
        var buffer = new byte[chunkBytes];
        await drive.PreventMediumRemovalAsync(true, cancellationToken).ConfigureAwait(false);
        try
        {
            await using (var source = image.OpenRead())
            {
                source.Seek(fromLba * MmcDrive.BlockSize, SeekOrigin.Begin);
                var lba = fromLba;
                while (lba < image.Blocks)
                {
                    var want = (int)Math.Min(chunkBytes, (image.Blocks - lba) * MmcDrive.BlockSize);
                    await source.ReadExactlyAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                    await drive.WriteAsync(checked((int)lba), buffer.AsMemory(0, want), options.UseStreamingWrite12, cancellationToken).ConfigureAwait(false);
                    lba += want / MmcDrive.BlockSize;
                    Report(WriteAction.WritingData, lba - 1);
                }
            }

            Report(WriteAction.Finalization, image.Blocks - 1);
            await drive.SynchronizeCacheAsync(cancellationToken).ConfigureAwait(false);
            Report(WriteAction.Completed, image.Blocks - 1);
            return new WriteResult(info.Profile, 0, image.Blocks, sha256, drive.Time.GetElapsedTime(started));
        }
        finally
        {
            try
            {
                await drive.PreventMediumRemovalAsync(false, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DeviceException)
            {
                // Best effort: it must not hide the real error.
            }
        }
    }
}
