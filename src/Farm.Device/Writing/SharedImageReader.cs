using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Farm.Device.Writing;

/// <summary>
/// The ring of one image in a <see cref="SharedImageCache"/>: a filler task reads the image once,
/// chunk after chunk, into slot <c>chunk % slots</c>, hashing as it goes; cursors hand the slots
/// out. Chunk <c>i</c> may overwrite chunk <c>i - slots</c> once every attached cursor has
/// released it (a cursor releases a chunk when it asks for the next one, so a chunk is never
/// overwritten while a drive is still sending it).
/// </summary>
public sealed partial class SharedImageReader : IAsyncDisposable
{
    private readonly SharedImageOptions _options;
    private readonly ByteCounter _diskBytes;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Action<SharedImageReader> _onLastCursorClosed;
    private readonly Lock _sync = new();
    private readonly int _slotCount;

    // One pinned array for the whole ring, from the cache's pool (RingPool): 4,096 separate 64 KiB
    // pinned arrays, allocated while 32 drives were writing, each counted toward a full GC, and
    // then one 256 MiB array allocated at the first WRITE, which paused the process for 162 ms.
    private readonly RingPool _rings;
    private byte[]? _ring;
    private bool _ringReturned;
    private bool _fillerDone;
    private readonly int[] _lengths;
    private readonly List<Cursor> _cursors = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _sha256 = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _totalChunks;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _filler;
    private long _head;
    private int _nextCursorId;
    private int _detached;
    private bool _closed;

    internal SharedImageReader(ImageSource image, SharedImageOptions options, RingPool rings, ByteCounter diskBytes, ILogger logger, TimeProvider time, Action<SharedImageReader> onLastCursorClosed)
    {
        _time = time;
        Image = image;
        _options = options;
        _rings = rings;
        _diskBytes = diskBytes;
        _logger = logger;
        _onLastCursorClosed = onLastCursorClosed;
        _slotCount = options.RingBytes / options.ChunkBytes;
        _lengths = new int[_slotCount];
        _totalChunks = (image.Length + options.ChunkBytes - 1) / options.ChunkBytes;
        _startChunks = Math.Min(Math.Min(_totalChunks, _slotCount), (options.StartBytes + options.ChunkBytes - 1) / options.ChunkBytes);
    }

    /// <summary>Chunks read before the first is handed out (<see cref="SharedImageOptions.StartBytes"/>).</summary>
    private readonly long _startChunks;

    public ImageSource Image { get; }

    /// <summary>What this ring read from disk, and for how many drives, so far.</summary>
    internal ImageReads Figures()
    {
        lock (_sync)
        {
            return new ImageReads(Image.Path, Image.Length, Image.LastWriteUtc, _diskBytes.Total, _nextCursorId, _detached, 1, _cursors.Count);
        }
    }

    /// <summary>A cursor starts reading from disk on its own (counted once per cursor).</summary>
    private void CountDetached()
    {
        lock (_sync)
        {
            _detached++;
        }
    }

    /// <summary>Chunks read into the ring so far.</summary>
    public long ChunksRead
    {
        get
        {
            lock (_sync)
            {
                return _head;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_sync)
        {
            _closed = true;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_filler is not null)
        {
            await _filler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (_sync)
        {
            _fillerDone = true;
            ReturnRingWhenFree();
        }

        _stop.Dispose();
    }

    /// <summary>A new cursor at chunk 0: attached to the ring while the ring still holds chunk 0, else reading from disk itself.</summary>
    internal Cursor? TryOpenCursor()
    {
        lock (_sync)
        {
            if (_closed)
            {
                return null;
            }

            var cursor = new Cursor(this, ++_nextCursorId) { Detached = _head > _slotCount };
            _cursors.Add(cursor);
            // Its own thread, not the thread pool's: on Linux a file read blocks the thread that
            // issues it (FileStream's async reads are blocking reads on a pool thread), and this
            // loop reads a whole ring ahead at disk speed, hashing as it goes, just when every
            // drive starts recording. On a loaded 2-core node that held one of the pool's few
            // workers while 16-32 drives needed it for each WRITE's completion.
            _filler ??= Task.Factory.StartNew(Fill, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return cursor;
        }
    }

    private void Fill()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            _ring = _totalChunks >= _slotCount
                ? _rings.Rent()
                : _rings.TryRentIdle() ?? GC.AllocateUninitializedArray<byte>((int)_totalChunks * _options.ChunkBytes, pinned: true);
            using (var file = Image.OpenRead())
            {
                for (long chunk = 0; chunk < _totalChunks; chunk++)
                {
                    // Blocking this thread (the filler's own) while the ring is full.
                    WaitForRoomAsync(chunk).GetAwaiter().GetResult();
                    var slot = (int)(chunk % _slotCount);
                    var wanted = (int)Math.Min(_options.ChunkBytes, Image.Length - (chunk * _options.ChunkBytes));
                    var read = file.ReadAtLeast(_ring.AsSpan(slot * _options.ChunkBytes, wanted), wanted, throwOnEndOfStream: false);
                    if (read != wanted)
                    {
                        throw new IOException($"image '{Image.Path}' ended after {(chunk * _options.ChunkBytes) + read} of {Image.Length} bytes: it changed while it was being burned");
                    }

                    _diskBytes.Add(read);
                    hash.AppendData(_ring, slot * _options.ChunkBytes, read);
                    if (chunk == _totalChunks - 1)
                    {
                        _sha256.TrySetResult(Convert.ToHexStringLower(hash.GetHashAndReset()));
                    }

                    lock (_sync)
                    {
                        _lengths[slot] = read;
                        _head = chunk + 1;

                        // The last chunk: the filler no longer touches the ring.
                        _fillerDone = _head == _totalChunks;
                        Signal();
                    }
                }
            }
        }
        catch (Exception failure)
        {
            _sha256.TrySetException(failure);
            lock (_sync)
            {
                Failure = failure;
                Signal();
            }
        }
    }

    /// <summary>Why the filler stopped early, for cursors waiting on it.</summary>
    private Exception? Failure { get; set; }

    /// <summary>
    /// Waits until chunk <paramref name="chunk"/> may take its slot. When a starving cursor has
    /// waited <see cref="SharedImageOptions.DetachAfter"/> on a full ring, the laggards holding it go to disk.
    /// </summary>
    private async Task WaitForRoomAsync(long chunk)
    {
        long? starvingSince = null;
        while (true)
        {
            Task wait;
            lock (_sync)
            {
                var overwritten = chunk - _slotCount;
                var blocking = _cursors.Where(c => !c.Detached && c.Protects(overwritten)).ToList();
                if (blocking.Count == 0)
                {
                    return;
                }

                // A cursor starves when it has had every chunk read so far (a woken cursor that
                // has not yet taken its chunk does not count).
                var starving = _cursors.Any(c => !c.Detached && c.Waiting && c.Next >= _head);
                starvingSince = starving ? starvingSince ?? _time.GetTimestamp() : null;
                var left = starvingSince is { } since ? _options.DetachAfter - _time.GetElapsedTime(since) : Timeout.InfiniteTimeSpan;
                if (starvingSince is not null && left <= TimeSpan.Zero)
                {
                    foreach (var laggard in blocking.Where(c => !c.DetachRequested))
                    {
                        laggard.DetachRequested = true;
                        WritingLog.CursorDetached(_logger, Image.Path, laggard.Id, (chunk - laggard.Next) * _options.ChunkBytes);
                    }

                    // Detached laggards protect only the chunk they hold: look again at once.
                    starvingSince = null;
                    continue;
                }

                // Task.Delay counts whole milliseconds: rounding up keeps a sub-millisecond rest from spinning.
                wait = left == Timeout.InfiniteTimeSpan
                    ? _changed.Task
                    : Task.WhenAny(_changed.Task, Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), _time, _stop.Token));
            }

            await wait.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the ring back to the pool once neither the filler nor any cursor can touch it (call
    /// under the lock): at the last cursor's close after a whole read, or when the filler stopped.
    /// A ring of a cache disposed under open cursors is left to the collector.
    /// </summary>
    private void ReturnRingWhenFree()
    {
        if (_ring is { } ring && !_ringReturned && _fillerDone && _cursors.Count == 0 && ring.Length == _rings.RingBytes)
        {
            _ringReturned = true;
            _rings.Return(ring);
        }
    }

    /// <summary>Wakes everyone waiting for a change of ring state (call under the lock).</summary>
    private void Signal()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    private void Close(Cursor cursor)
    {
        bool last;
        lock (_sync)
        {
            _cursors.Remove(cursor);
            ReturnRingWhenFree();
            Signal();
            last = _cursors.Count == 0 && !_closed;
            _closed |= last;
        }

        if (last)
        {
            _onLastCursorClosed(this);
            _ = DisposeAsync().AsTask();
        }
    }
}
