using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;
using Farm.Device.Mmc;

namespace Farm.Device.Writing;

public sealed partial class DataWriter
{
    /// <summary>A filled FIFO slot: a pooled buffer and how many bytes of it hold image data.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Length);

    /// <summary>
    /// The write pipeline: a reader runs ahead of the drive through a bounded FIFO so the drive is
    /// never waiting on the disk; the writer sends one WRITE per chunk at consecutive LBAs. The
    /// image's SHA-256 is computed by the reader as the bytes pass, so verifying needs no second
    /// read of the image. Returns that hash (lower-case hex).
    /// </summary>
    private async Task<string> PumpAsync(ImageSource image, long startLba, int chunkBytes, Action<long, long, long> onWritten, CancellationToken cancellationToken)
    {
        var slots = Math.Max(2, options.FifoBytes / chunkBytes);
        var fifo = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(slots) { SingleReader = true, SingleWriter = true });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long blocksRead = 0;

        var reader = Task.Run(async () =>
        {
            await using var stream = image.OpenRead();
            try
            {
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
                    var filled = await stream.ReadAtLeastAsync(buffer.AsMemory(0, chunkBytes), chunkBytes, throwOnEndOfStream: false, linked.Token).ConfigureAwait(false);
                    if (filled == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        break;
                    }

                    hash.AppendData(buffer, 0, filled);
                    Interlocked.Add(ref blocksRead, filled / MmcDrive.BlockSize);
                    await fifo.Writer.WriteAsync(new Chunk(buffer, filled), linked.Token).ConfigureAwait(false);
                }

                fifo.Writer.TryComplete();
            }
            catch (Exception failure)
            {
                fifo.Writer.TryComplete(failure);
            }
        }, CancellationToken.None);

        var lba = startLba;
        try
        {
            await foreach (var chunk in fifo.Reader.ReadAllAsync(linked.Token).ConfigureAwait(false))
            {
                try
                {
                    await drive.WriteAsync(checked((int)lba), chunk.Buffer.AsMemory(0, chunk.Length), options.UseStreamingWrite12, linked.Token).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                }

                lba += chunk.Length / MmcDrive.BlockSize;
                onWritten(startLba + Interlocked.Read(ref blocksRead) - 1, lba - 1, (long)fifo.Reader.Count * chunkBytes);
            }
        }
        finally
        {
            // Stop the reader and give its buffers back whatever happened to the drive.
            await linked.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
            while (fifo.Reader.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }

        if (lba - startLba != image.Blocks)
        {
            throw new IOException($"image '{image.Path}' yielded {lba - startLba} blocks, expected {image.Blocks}: it changed while it was being burned");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
