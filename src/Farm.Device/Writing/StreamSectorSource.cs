using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Farm.Device.Writing;

/// <summary>
/// A reader task that runs ahead of the drive through a bounded FIFO of pooled chunks, so the
/// drive is never waiting on the disk, and a hash stage between them that hashes every chunk once
/// (SHA-256 through OpenSSL, in place: no copy) so that verifying needs no second read of the
/// image. The hash has its own stage so the reader goes on reading while a chunk is hashed (the
/// hash costs about as much CPU as the read; in series it left the disk idle for it), and the
/// drive, which takes chunks from the FIFO the hash stage fills, waits on it only if the hash is
/// slower than the drive. It reads exactly <c>length</c> bytes from the stream's current position
/// (IWriteEngine2::WriteSection writes a given number of blocks, not the whole stream); an image
/// file opened with <see cref="OpenImage"/> is read with direct I/O where the system allows it
/// (<see cref="DirectImageFile"/>). The source owns its buffers (pinned, aligned for direct I/O,
/// allocated as the reader first needs them, at most the FIFO's slots and the few chunks in the
/// stages' hands): the shared array pool keeps only 8 arrays of a size per core, so a 16-slot FIFO
/// of 1 MiB chunks dropped and re-rented large arrays all along, garbage the GC had to collect.
/// </summary>
public sealed class StreamSectorSource : ISectorSource
{
    private readonly Stream? _stream;
    private readonly DirectImageFile? _direct;
    private readonly bool _ownsStream;
    private readonly long _length;
    private readonly int _chunkBytes;
    private readonly Channel<Chunk> _fifo;
    private readonly Channel<Chunk> _toHash;
    private readonly CancellationTokenSource _stop = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ByteCounter? _diskBytes;
    private readonly int _slots;
    private readonly ConcurrentQueue<byte[]> _free = new();
    private Task? _reader;
    private Task? _hasher;
    private Chunk? _handedOut;
    private long _buffered;
    private string? _sha256;

    /// <param name="stream">Read from its current position.</param>
    /// <param name="length">Bytes to deliver; the stream may hold more.</param>
    /// <param name="chunkBytes">Bytes per FIFO slot (a multiple of 2048).</param>
    /// <param name="fifoBytes">The FIFO's size; at least two slots.</param>
    /// <param name="ownsStream">Dispose the stream with the source.</param>
    /// <param name="diskBytes">Counts the bytes read, if given.</param>
    public StreamSectorSource(Stream stream, long length, int chunkBytes, int fifoBytes, bool ownsStream, ByteCounter? diskBytes = null)
        : this(length, chunkBytes, fifoBytes, diskBytes)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _ownsStream = ownsStream;
    }

    private StreamSectorSource(DirectImageFile direct, long length, int chunkBytes, int fifoBytes, ByteCounter? diskBytes)
        : this(length, chunkBytes, fifoBytes, diskBytes)
    {
        _direct = direct;
    }

    private StreamSectorSource(long length, int chunkBytes, int fifoBytes, ByteCounter? diskBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (chunkBytes <= 0 || chunkBytes % Mmc.MmcDrive.BlockSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "a chunk is a positive multiple of 2048 bytes");
        }

        _length = length;
        _chunkBytes = chunkBytes;
        _diskBytes = diskBytes;
        _slots = Math.Max(2, fifoBytes / chunkBytes);
        _fifo = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(_slots) { SingleReader = true, SingleWriter = true });

        // Room for the reader to stay a little ahead of the hash: two chunks are enough for the
        // two to overlap; more would only hold memory the FIFO should have.
        _toHash = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    }

    /// <summary>Reads direct from the disk (no page cache copy), rather than through a stream.</summary>
    public bool ReadsDirect => _direct is not null;

    public long CapacityBytes => (long)_slots * _chunkBytes;

    /// <summary>
    /// <paramref name="length"/> bytes of <paramref name="image"/> from <paramref name="offset"/>,
    /// read with direct I/O when the system, the file system, the offset and the chunk size allow
    /// it (4 KiB multiples), else through a buffered file stream as before.
    /// </summary>
    public static StreamSectorSource OpenImage(ImageSource image, long offset, long length, int chunkBytes, int fifoBytes, ByteCounter? diskBytes = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (DirectImageFile.TryOpen(image.Path, offset, chunkBytes) is { } direct)
        {
            return new StreamSectorSource(direct, length, chunkBytes, fifoBytes, diskBytes);
        }

        var file = image.OpenRead();
        file.Position = offset;
        return new StreamSectorSource(file, length, chunkBytes, fifoBytes, ownsStream: true, diskBytes);
    }

    public long BufferedBytes => Interlocked.Read(ref _buffered);

    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        ReturnHandedOut();
        if (_reader is null)
        {
            _reader = Task.Run(ReadAllAsync, CancellationToken.None);
            _hasher = Task.Run(HashAllAsync, CancellationToken.None);
        }

        if (!await _fifo.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_fifo.Reader.TryRead(out var chunk))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        Interlocked.Add(ref _buffered, -chunk.Length);
        _handedOut = chunk;
        return chunk.Buffer.AsMemory(chunk.Start, chunk.Length);
    }

    public async ValueTask<string> GetSha256Async(CancellationToken cancellationToken)
    {
        if (_hasher is not null)
        {
            await _hasher.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            await _hasher!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        ReturnHandedOut();
        while (_toHash.Reader.TryRead(out var unhashed))
        {
            Return(unhashed);
        }

        while (_fifo.Reader.TryRead(out var left))
        {
            Return(left);
        }

        _hash.Dispose();
        _stop.Dispose();
        _direct?.Dispose();
        if (_ownsStream)
        {
            await _stream!.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void ReturnHandedOut()
    {
        if (_handedOut is { } previous)
        {
            _handedOut = null;
            Return(previous);
        }
    }

    /// <summary>Reads the stream into pooled chunks for the hash stage; ends (or fails) its queue.</summary>
    private async Task ReadAllAsync()
    {
        var token = _stop.Token;
        try
        {
            long remaining = _length;
            while (remaining > 0)
            {
                var wanted = (int)Math.Min(_chunkBytes, remaining);
                var chunk = Rent();
                var (buffer, start) = (chunk.Buffer, chunk.Start);
                try
                {
                    token.ThrowIfCancellationRequested();
                    chunk = chunk with
                    {
                        Length = _direct is { } file
                            ? file.Read(buffer, start, wanted)
                            : await _stream!.ReadAtLeastAsync(buffer.AsMemory(start, wanted), wanted, throwOnEndOfStream: false, token).ConfigureAwait(false),
                    };
                }
                catch
                {
                    Return(chunk);
                    throw;
                }

                if (chunk.Length == 0)
                {
                    Return(chunk);
                    break;
                }

                _diskBytes?.Add(chunk.Length);
                remaining -= chunk.Length;
                Interlocked.Add(ref _buffered, chunk.Length);
                await ForwardAsync(_toHash, chunk, token).ConfigureAwait(false);
            }

            _toHash.Writer.TryComplete();
        }
        catch (Exception failure)
        {
            _toHash.Writer.TryComplete(failure);
        }
    }

    /// <summary>
    /// Hashes each chunk in the reader's order and passes it to the drive's FIFO; the hash is
    /// final when the reader's queue ends, and a read failure reaches the drive through the FIFO.
    /// </summary>
    private async Task HashAllAsync()
    {
        var token = _stop.Token;
        try
        {
            await foreach (var chunk in _toHash.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                _hash.AppendData(chunk.Buffer, chunk.Start, chunk.Length);
                await ForwardAsync(_fifo, chunk, token).ConfigureAwait(false);
            }

            _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            _fifo.Writer.TryComplete();
        }
        catch (Exception failure)
        {
            _fifo.Writer.TryComplete(failure);
        }
    }

    /// <summary>Queues a chunk, or gives its buffer back if the source is stopped first.</summary>
    private async ValueTask ForwardAsync(Channel<Chunk> next, Chunk chunk, CancellationToken token)
    {
        try
        {
            await next.Writer.WriteAsync(chunk, token).ConfigureAwait(false);
        }
        catch
        {
            Return(chunk);
            throw;
        }
    }

    /// <summary>An empty chunk: a buffer given back earlier, or a new one, and where its aligned part starts.</summary>
    private Chunk Rent()
    {
        var buffer = _free.TryDequeue(out var reused)
            ? reused
            : GC.AllocateUninitializedArray<byte>(_chunkBytes + DirectImageFile.Alignment, pinned: true);
        return new Chunk(buffer, AlignedStart(buffer), 0);
    }

    private void Return(Chunk chunk) => _free.Enqueue(chunk.Buffer);

    private static unsafe int AlignedStart(byte[] pinned)
    {
        fixed (byte* first = pinned)
        {
            var misalignment = (int)((nuint)first % DirectImageFile.Alignment);
            return misalignment == 0 ? 0 : DirectImageFile.Alignment - misalignment;
        }
    }

    /// <summary>A filled FIFO slot: a buffer, where its data starts and how many bytes it holds.</summary>
    private readonly record struct Chunk(byte[] Buffer, int Start, int Length);
}
