using System.Security.Cryptography;
using Farm.Device.Mmc;

namespace Farm.Device.Writing;

/// <summary>
/// Reads back exactly the image's sectors and hashes them. Never up to READ CAPACITY: after a TAO
/// write the run-out sectors past the image would count as false mismatches (libburn, cdrecord).
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
        return new VerifyResult(string.Equals(actual, expectedSha256, StringComparison.OrdinalIgnoreCase), actual, done, drive.Time.GetElapsedTime(started));
    }
}
