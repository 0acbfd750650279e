using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Device.Writing;

/// <summary>Sizes of a <see cref="SharedImageCache"/>'s rings; validated when the cache is made.</summary>
public sealed record SharedImageOptions
{
    /// <summary>Bytes of one image held in memory at once (the ring). Bounds memory per image, whatever the drive count.</summary>
    public int RingBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Bytes per ring slot (one disk read); a multiple of 2048. 64 KiB is one BD WRITE, two DVD ones.</summary>
    public int ChunkBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// How long the ring may stay full, blocked by a laggard while another cursor starves, before
    /// the laggard is detached. Drives of one speed drift apart a little all the time and catch up
    /// within milliseconds; a drive that stopped does not. It must stay well below the time a
    /// drive's own buffer lasts (4 MiB at BD 16x, 72 MB/s: about 58 ms), or the starving drives
    /// would underrun first.
    /// </summary>
    public TimeSpan DetachAfter { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Bytes a new ring reads before its first chunk is handed out (at most the ring and the image).
    /// Drives that start together fill their buffers at once and then need the ring to stay ahead;
    /// without a lead at the start, one slow disk read (a cold cache, another process's I/O) starves
    /// every drive at the same moment: 32 BD 16x drives lost their discs 4-6 MiB in that way.
    /// 32 MiB is 0.45 s of BD 16x, read in about 45 ms at 750 MB/s.
    /// </summary>
    public int StartBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>
    /// Rings allocated when the cache is made, before any burn (<see cref="RingPool"/>): a ring
    /// allocated at a burn's first WRITE paused every drive for a full collection. One serves every
    /// drive burning one image; more images at once allocate more rings, which are then kept up to
    /// this count (at least one).
    /// </summary>
    public int ReservedRings { get; init; }

    /// <summary>The read-ahead FIFO of a cursor that reads from disk by itself (late or fallen behind).</summary>
    public int DetachedFifoBytes { get; init; } = 8 * 1024 * 1024;

    public SharedImageOptions Validate()
    {
        if (ChunkBytes <= 0 || ChunkBytes % 2048 != 0)
        {
            throw new ArgumentException($"ChunkBytes must be a positive multiple of 2048, not {ChunkBytes}");
        }

        if (RingBytes < 2 * ChunkBytes || RingBytes > 1024 * 1024 * 1024)
        {
            throw new ArgumentException($"RingBytes must hold at least two chunks and at most 1 GiB, not {RingBytes} bytes");
        }

        if (StartBytes < 0)
        {
            throw new ArgumentException($"StartBytes must not be negative, not {StartBytes}");
        }

        if (ReservedRings is < 0 or > 64)
        {
            throw new ArgumentException($"ReservedRings must be between 0 and 64 (rings of RingBytes allocated up front), not {ReservedRings}");
        }

        if (DetachAfter < TimeSpan.Zero)
        {
            throw new ArgumentException($"DetachAfter must not be negative, not {DetachAfter}");
        }

        return DetachedFifoBytes < 2 * ChunkBytes
            ? throw new ArgumentException($"DetachedFifoBytes must hold at least two chunks, not {DetachedFifoBytes} bytes")
            : this;
    }
}

/// <summary>
/// What a node read from disk for one image (path, size and last write time), over every burn of
/// it since the node started: the figure that shows whether its drives shared one read.
/// </summary>
/// <param name="DiskBytes">Bytes read from the image file: one image's size when every drive shared one read.</param>
/// <param name="Drives">Drive burns served (cursors opened).</param>
/// <param name="Detached">Of those, burns that read (part of) the image on their own: late, or fallen behind.</param>
/// <param name="Reads">Times a ring was started for it (a new one after the previous one's last drive finished).</param>
/// <param name="Active">Drives reading it now.</param>
public sealed record ImageReads(string Path, long ImageBytes, DateTime LastWriteUtc, long DiskBytes, int Drives, int Detached, int Reads, int Active);

/// <summary>
/// One node's shared, bounded image cache: however many drives burn the same image at once, it
/// is read from disk once. Per image (same path, size and last write time: a file rewritten in
/// place is another image), one <see cref="SharedImageReader"/> fills a ring of chunks; each drive
/// reads through its own cursor (<see cref="OpenCursor"/>), which is an <see cref="ISectorSource"/>
/// for the write engine, handing out ring memory without copying.
/// <para>
/// The slowest cursor bounds the ring: a slot is refilled only when every cursor is past it. If
/// the ring stays full for <see cref="SharedImageOptions.DetachAfter"/> while a faster cursor is
/// waiting for data, the laggard (a whole ring behind, e.g. a drive that paused) is detached: from its next chunk on it reads
/// from disk by itself, so one slow drive never starves the others into underruns. A drive that
/// joins after the ring no longer holds the image's start also reads from disk by itself. Both
/// cost one extra read of (part of) the image, which <see cref="DiskBytesRead"/> and
/// <see cref="Images"/> show.
/// </para>
/// A reader lives while it has cursors; the next burn after that reads the image again.
/// </summary>
public sealed class SharedImageCache : IAsyncDisposable
{
    /// <summary>Images whose figures are kept once no drive reads them (the oldest are dropped first).</summary>
    private const int RememberedImages = 64;

    private readonly SharedImageOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<ImageKey, SharedImageReader> _readers = [];
    private readonly Dictionary<ImageKey, ImageReads> _done = [];
    private readonly Queue<ImageKey> _doneOrder = new();

    public SharedImageCache(SharedImageOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _options = (options ?? new SharedImageOptions()).Validate();
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _rings = new RingPool(_options.RingBytes, _options.ReservedRings);
    }

    private readonly RingPool _rings;

    /// <summary>Ring arrays allocated so far, the reserved ones included (<see cref="SharedImageOptions.ReservedRings"/>).</summary>
    public int RingsAllocated => _rings.Allocated;

    /// <summary>Bytes read from disk by every reader and detached cursor so far.</summary>
    public ByteCounter DiskBytesRead { get; } = new();

    public SharedImageOptions Options => _options;

    /// <summary>Every image read so far (the last <c>64</c> no longer read, and those being read now).</summary>
    public IReadOnlyList<ImageReads> Images
    {
        get
        {
            lock (_gate)
            {
                var all = new Dictionary<ImageKey, ImageReads>(_done);
                foreach (var (key, reader) in _readers)
                {
                    all[key] = Add(all.GetValueOrDefault(key), reader.Figures());
                }

                return [.. all.Values];
            }
        }
    }

    /// <summary>The figures of one image (null when the node never read it).</summary>
    public ImageReads? ReadsOf(ImageSource image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = ImageKey.Of(image);
        lock (_gate)
        {
            var sofar = _done.GetValueOrDefault(key);
            return _readers.TryGetValue(key, out var reader) ? Add(sofar, reader.Figures()) : sofar;
        }
    }

    /// <summary>A cursor over <paramref name="image"/> from its first sector; dispose it when the drive is done.</summary>
    public ISectorSource OpenCursor(ImageSource image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var key = ImageKey.Of(image);
        lock (_gate)
        {
            // A reader whose last cursor just closed refuses new ones; a fresh reader replaces it.
            if (_readers.TryGetValue(key, out var reader) && reader.TryOpenCursor() is { } cursor)
            {
                return cursor;
            }

            reader = new SharedImageReader(image, _options, _rings, new ByteCounter(DiskBytesRead), _logger, _time, Forget);
            _readers[key] = reader;
            return reader.TryOpenCursor()!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SharedImageReader> open;
        lock (_gate)
        {
            open = [.. _readers.Values];
            _readers.Clear();
        }

        foreach (var reader in open)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Called by a reader whose last cursor closed: its figures join the image's, and the node's log.</summary>
    private void Forget(SharedImageReader reader)
    {
        var key = ImageKey.Of(reader.Image);
        var figures = reader.Figures();
        WritingLog.ImageDone(_logger, reader.Image.Path, reader.Image.Length, figures.DiskBytes, figures.Drives, figures.Detached);
        lock (_gate)
        {
            if (_readers.TryGetValue(key, out var current) && ReferenceEquals(current, reader))
            {
                _readers.Remove(key);
            }

            if (!_done.ContainsKey(key))
            {
                _doneOrder.Enqueue(key);
                if (_doneOrder.Count > RememberedImages)
                {
                    _done.Remove(_doneOrder.Dequeue());
                }
            }

            _done[key] = Add(_done.GetValueOrDefault(key), figures with { Active = 0 });
        }
    }

    private static ImageReads Add(ImageReads? sofar, ImageReads more) => sofar is null ? more : more with
    {
        DiskBytes = sofar.DiskBytes + more.DiskBytes,
        Drives = sofar.Drives + more.Drives,
        Detached = sofar.Detached + more.Detached,
        Reads = sofar.Reads + more.Reads,
    };

    /// <summary>One image: the same path, size and last write time.</summary>
    private readonly record struct ImageKey(string Path, long Length, DateTime LastWriteUtc)
    {
        public static ImageKey Of(ImageSource image) => new(image.Path, image.Length, image.LastWriteUtc);
    }
}
