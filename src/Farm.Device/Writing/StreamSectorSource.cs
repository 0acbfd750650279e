using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Farm.Device.Writing;

/// <summary>
/// A reader task that runs ahead of the drive through a bounded FIFO of pooled chunks, so the
/// drive is never waiting on the disk; it hashes the bytes as they pass so that verifying needs
/// no second read of the image. It reads exactly <c>length</c> bytes from the stream's current
/// position (IWriteEngine2::WriteSection writes a given number of blocks, not the whole stream).
/// </summary>
public sealed class StreamSectorSource : ISectorSource
{
    private readonly Stream stream;
    private readonly bool ownsStream;
    private readonly long length;
    private readonly int chunkBytes;
    private readonly Channel<Chunk> fifo;
    private readonly CancellationTokenSource stop = new();
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ByteCounter? diskBytes;
    private readonly int slots;
    private Task? reader;
    private byte[]? handedOut;
    private long buffered;
    private string? sha256;

    /// <param name="stream">Read from its current position.</param>
    /// <param name="length">Bytes to deliver; the stream may hold more.</param>
    /// <param name="chunkBytes">Bytes per FIFO slot (a multiple of 2048).</param>
    /// <param name="fifoBytes">The FIFO's size; at least two slots.</param>
    /// <param name="ownsStream">Dispose the stream with the source.</param>
    /// <param name="diskBytes">Counts the bytes read, if given.</param>
    public StreamSectorSource(Stream stream, long length, int chunkBytes, int fifoBytes, bool ownsStream, ByteCounter? diskBytes = null)
    {
        this.stream = stream ?? throw new ArgumentNullException(nameof(stream));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (chunkBytes <= 0 || chunkBytes % Mmc.MmcDrive.BlockSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "a chunk is a positive multiple of 2048 bytes");
        }

        this.length = length;
        this.chunkBytes = chunkBytes;
        this.ownsStream = ownsStream;
        this.diskBytes = diskBytes;
        slots = Math.Max(2, fifoBytes / chunkBytes);
        fifo = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(slots) { SingleReader = true, SingleWriter = true });
    }

    public long CapacityBytes => (long)slots * chunkBytes;

    public long BufferedBytes => Interlocked.Read(ref buffered);

    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        ReturnHandedOut();
        reader ??= Task.Run(ReadAllAsync, CancellationToken.None);
        if (!await fifo.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !fifo.Reader.TryRead(out var chunk))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        Interlocked.Add(ref buffered, -chunk.Length);
        handedOut = chunk.Buffer;
        return chunk.Buffer.AsMemory(0, chunk.Length);
    }

    public async ValueTask<string> GetSha256Async(CancellationToken cancellationToken)
    {
        if (reader is not null)
        {
            await reader.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return sha256 ?? throw new InvalidOperationException("the source has not been read to its end");
    }

    public async ValueTask DisposeAsync()
    {
        // Stop the reader and give every pooled buffer back, whatever happened to the drive.
        await stop.CancelAsync().ConfigureAwait(false);
        if (reader is not null)
        {
            await reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ReturnHandedOut();
        while (fifo.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        hash.Dispose();
        stop.Dispose();
        if (ownsStream)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ReturnHandedOut()
    {
        if (handedOut is { } previous)
        {
            handedOut = null;
            ArrayPool<byte>.Shared.Return(previous);
        }
    }

    private async Task ReadAllAsync()
    {
        var token = stop.Token;
        try
        {
            long remaining = length;
            while (remaining > 0)
            {
                var wanted = (int)Math.Min(chunkBytes, remaining);
                var buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
                int filled;
                try
                {
                    filled = await stream.ReadAtLeastAsync(buffer.AsMemory(0, wanted), wanted, throwOnEndOfStream: false, token).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                diskBytes?.Add(filled);
                hash.AppendData(buffer, 0, filled);
                remaining -= filled;
                Interlocked.Add(ref buffered, filled);
                await fifo.Writer.WriteAsync(new Chunk(buffer, filled), token).ConfigureAwait(false);
            }

            sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            fifo.Writer.TryComplete();
        }
        catch (Exception failure)
        {
            fifo.Writer.TryComplete(failure);
        }
    }

    /// <summary>A filled FIFO slot: a pooled buffer and how many bytes of it hold data.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Length);
}
