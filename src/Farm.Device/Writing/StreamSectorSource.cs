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
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly long _length;
    private readonly int _chunkBytes;
    private readonly Channel<Chunk> _fifo;
    private readonly CancellationTokenSource _stop = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ByteCounter? _diskBytes;
    private readonly int _slots;
    private Task? _reader;
    private byte[]? _handedOut;
    private long _buffered;
    private string? _sha256;

    /// <param name="stream">Read from its current position.</param>
    /// <param name="length">Bytes to deliver; the stream may hold more.</param>
    /// <param name="chunkBytes">Bytes per FIFO slot (a multiple of 2048).</param>
    /// <param name="fifoBytes">The FIFO's size; at least two slots.</param>
    /// <param name="ownsStream">Dispose the stream with the source.</param>
    /// <param name="diskBytes">Counts the bytes read, if given.</param>
    public StreamSectorSource(Stream stream, long length, int chunkBytes, int fifoBytes, bool ownsStream, ByteCounter? diskBytes = null)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (chunkBytes <= 0 || chunkBytes % Mmc.MmcDrive.BlockSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "a chunk is a positive multiple of 2048 bytes");
        }

        _length = length;
        _chunkBytes = chunkBytes;
        _ownsStream = ownsStream;
        _diskBytes = diskBytes;
        _slots = Math.Max(2, fifoBytes / chunkBytes);
        _fifo = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(_slots) { SingleReader = true, SingleWriter = true });
    }

    public long CapacityBytes => (long)_slots * _chunkBytes;

    public long BufferedBytes => Interlocked.Read(ref _buffered);

    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        ReturnHandedOut();
        _reader ??= Task.Run(ReadAllAsync, CancellationToken.None);
        if (!await _fifo.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_fifo.Reader.TryRead(out var chunk))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        Interlocked.Add(ref _buffered, -chunk.Length);
        _handedOut = chunk.Buffer;
        return chunk.Buffer.AsMemory(0, chunk.Length);
    }

    public async ValueTask<string> GetSha256Async(CancellationToken cancellationToken)
    {
        if (_reader is not null)
        {
            await _reader.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return _sha256 ?? throw new InvalidOperationException("the source has not been read to its end");
    }

    public async ValueTask DisposeAsync()
    {
        // Stop the reader and give every pooled buffer back, whatever happened to the drive.
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_reader is not null)
        {
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ReturnHandedOut();
        while (_fifo.Reader.TryRead(out var left))
        {
            ArrayPool<byte>.Shared.Return(left.Buffer);
        }

        _hash.Dispose();
        _stop.Dispose();
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ReturnHandedOut()
    {
        if (_handedOut is { } previous)
        {
            _handedOut = null;
            ArrayPool<byte>.Shared.Return(previous);
        }
    }

    private async Task ReadAllAsync()
    {
        var token = _stop.Token;
        try
        {
            long remaining = _length;
            while (remaining > 0)
            {
                var wanted = (int)Math.Min(_chunkBytes, remaining);
                var buffer = ArrayPool<byte>.Shared.Rent(_chunkBytes);
                int filled;
                try
                {
                    filled = await _stream.ReadAtLeastAsync(buffer.AsMemory(0, wanted), wanted, throwOnEndOfStream: false, token).ConfigureAwait(false);
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

                _diskBytes?.Add(filled);
                _hash.AppendData(buffer, 0, filled);
                remaining -= filled;
                Interlocked.Add(ref _buffered, filled);
                await _fifo.Writer.WriteAsync(new Chunk(buffer, filled), token).ConfigureAwait(false);
            }

            _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            _fifo.Writer.TryComplete();
        }
        catch (Exception failure)
        {
            _fifo.Writer.TryComplete(failure);
        }
    }

    /// <summary>A filled FIFO slot: a pooled buffer and how many bytes of it hold data.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Length);
}
