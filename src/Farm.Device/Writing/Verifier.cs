using System.Security.Cryptography;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

/// <summary>
/// Reads a written image back. Full: exactly the image's sectors, hashed; never up to READ
/// CAPACITY, since after a TAO write the run-out sectors past the image would count as false
/// mismatches (libburn, cdrecord). Quick: the disc and track information agree with the write,
/// and a sample of sector runs (first, last, evenly spread between) equals the image's.
/// </summary>
public static class Verifier
{
    public static async Task<VerifyResult> ReadBackAsync(MmcDrive drive, long startLba, long blocks, string expectedSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        var started = drive.Time.GetTimestamp();
        await drive.WaitUntilReadyAsync(afterMediumChange: false, cancellationToken).ConfigureAwait(false);

        // 32 blocks (64 KiB) per READ: within every adapter's transfer limit here.
        var chunkBlocks = Math.Max(1, Math.Min(32, drive.MaxTransferBytes / MmcDrive.BlockSize));
        var buffer = new byte[chunkBlocks * MmcDrive.BlockSize];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long done = 0;
        while (done < blocks)
        {
            var count = (int)Math.Min(chunkBlocks, blocks - done);
            var slice = buffer.AsMemory(0, count * MmcDrive.BlockSize);
            await drive.ReadAsync(checked((int)(startLba + done)), slice, cancellationToken).ConfigureAwait(false);
            hash.AppendData(slice.Span);
            done += count;
        }

        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        var matches = string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase);
        return new VerifyResult(matches, actual, done, drive.Time.GetElapsedTime(started))
        {
            Problem = matches ? null : $"the disc's {blocks} sectors hash to {actual}, the image to {expectedSha256}",
        };
    }

    /// <summary>
    /// Quick verify of <paramref name="image"/> written at <paramref name="startLba"/>: the disc is
    /// not blank, the track holding the start begins there (sequential media) and is long enough,
    /// and <paramref name="samples"/> runs of <paramref name="runBlocks"/> sectors equal the image's.
    /// The result's hash is that of the sampled disc sectors.
    /// </summary>
    public static async Task<VerifyResult> QuickAsync(MmcDrive drive, ImageSource image, long startLba, string imageSha256, int samples, int runBlocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        ArgumentNullException.ThrowIfNull(image);
        var started = drive.Time.GetTimestamp();
        await drive.WaitUntilReadyAsync(afterMediumChange: false, cancellationToken).ConfigureAwait(false);
        var problem = await CheckLayoutAsync(drive, startLba, image.Blocks, cancellationToken).ConfigureAwait(false);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        runBlocks = (int)Math.Min(runBlocks, Math.Min(image.Blocks, drive.MaxTransferBytes / MmcDrive.BlockSize));
        var fromDisc = new byte[runBlocks * MmcDrive.BlockSize];
        var fromImage = new byte[fromDisc.Length];
        long read = 0;
        using var file = File.OpenHandle(image.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        foreach (var offset in SampleOffsets(image.Blocks, samples, runBlocks))
        {
            if (problem is not null)
            {
                break;
            }

            var discSlice = fromDisc.AsMemory(0, runBlocks * MmcDrive.BlockSize);
            await drive.ReadAsync(checked((int)(startLba + offset)), discSlice, cancellationToken).ConfigureAwait(false);
            await RandomAccess.ReadAsync(file, fromImage.AsMemory(0, discSlice.Length), offset * MmcDrive.BlockSize, cancellationToken).ConfigureAwait(false);
            hash.AppendData(discSlice.Span);
            read += runBlocks;
            if (!discSlice.Span.SequenceEqual(fromImage.AsSpan(0, discSlice.Length)))
            {
                problem = $"sectors {startLba + offset}-{startLba + offset + runBlocks - 1} differ from the image's sectors {offset}-{offset + runBlocks - 1}";
            }
        }

        return new VerifyResult(problem is null, Convert.ToHexStringLower(hash.GetHashAndReset()), read, drive.Time.GetElapsedTime(started))
        {
            Mode = VerifyMode.Quick,
            Problem = problem,
        };
    }

    /// <summary>Image offsets of the sample runs: the first and last run and evenly spread ones between, no duplicates.</summary>
    public static IReadOnlyList<long> SampleOffsets(long imageBlocks, int samples, int runBlocks)
    {
        var lastStart = Math.Max(0, imageBlocks - runBlocks);
        var count = Math.Max(2, samples);
        return [.. Enumerable.Range(0, count).Select(i => lastStart * i / (count - 1)).Distinct()];
    }

    private static async Task<string?> CheckLayoutAsync(MmcDrive drive, long startLba, long blocks, CancellationToken cancellationToken)
    {
        var disc = await drive.ReadDiscInformationAsync(cancellationToken).ConfigureAwait(false);
        if (disc.Status == DiscStatus.Empty)
        {
            return "the disc is blank";
        }

        var track = await drive.ReadTrackInformationAsync(TrackAddressType.LogicalBlockAddress, (uint)startLba, cancellationToken).ConfigureAwait(false);
        if (track.Blank)
        {
            return $"the track holding LBA {startLba} is blank";
        }

        // Rewritable media have one track over the whole disc; sequential ones one track per image.
        var trackEnd = (long)track.TrackStartAddress + track.TrackSize;
        return startLba + blocks > trackEnd
            ? $"the track holding LBA {startLba} ends at {trackEnd - 1}, before the image's last sector {startLba + blocks - 1}"
            : null;
    }
}
