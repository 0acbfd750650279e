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
    private readonly SharedImageOptions options;
    private readonly ByteCounter diskBytes;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly Action<SharedImageReader> onLastCursorClosed;
    private readonly Lock sync = new();
    private readonly int slotCount;

    // One pinned array for the whole ring, allocated when the filler starts: 4,096 separate 64 KiB
    // pinned arrays, allocated while 32 drives were writing, each counted toward a full GC.
    private byte[]? ring;
    private readonly int[] lengths;
    private readonly List<Cursor> cursors = [];
    private readonly CancellationTokenSource stop = new();
    private readonly TaskCompletionSource<string> sha256 = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long totalChunks;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? filler;
    private long head;
    private int nextCursorId;
    private int detached;
    private bool closed;

    internal SharedImageReader(ImageSource image, SharedImageOptions options, ByteCounter diskBytes, ILogger logger, TimeProvider time, Action<SharedImageReader> onLastCursorClosed)
    {
        this.time = time;
        Image = image;
        this.options = options;
        this.diskBytes = diskBytes;
        this.logger = logger;
        this.onLastCursorClosed = onLastCursorClosed;
        slotCount = options.RingBytes / options.ChunkBytes;
        lengths = new int[slotCount];
        totalChunks = (image.Length + options.ChunkBytes - 1) / options.ChunkBytes;
        startChunks = Math.Min(Math.Min(totalChunks, slotCount), (options.StartBytes + options.ChunkBytes - 1) / options.ChunkBytes);
    }

    /// <summary>Chunks read before the first is handed out (<see cref="SharedImageOptions.StartBytes"/>).</summary>
    private readonly long startChunks;

    public ImageSource Image { get; }

    /// <summary>What this ring read from disk, and for how many drives, so far.</summary>
    internal ImageReads Figures()
    {
        lock (sync)
        {
            return new ImageReads(Image.Path, Image.Length, Image.LastWriteUtc, diskBytes.Total, nextCursorId, detached, 1, cursors.Count);
        }
    }

    /// <summary>A cursor starts reading from disk on its own (counted once per cursor).</summary>
    private void CountDetached()
    {
        lock (sync)
        {
            detached++;
        }
    }

    /// <summary>Chunks read into the ring so far.</summary>
    public long ChunksRead
    {
        get
        {
            lock (sync)
            {
                return head;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (sync)
        {
            closed = true;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        if (filler is not null)
        {
            await filler.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stop.Dispose();
    }

    /// <summary>A new cursor at chunk 0: attached to the ring while the ring still holds chunk 0, else reading from disk itself.</summary>
    internal Cursor? TryOpenCursor()
    {
        lock (sync)
        {
            if (closed)
            {
                return null;
            }

            var cursor = new Cursor(this, ++nextCursorId) { Detached = head > slotCount };
            cursors.Add(cursor);
            filler ??= Task.Run(FillAsync, CancellationToken.None);
            return cursor;
        }
    }

    private async Task FillAsync()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            ring = GC.AllocateUninitializedArray<byte>((int)Math.Min(slotCount, totalChunks) * options.ChunkBytes, pinned: true);
            var file = Image.OpenRead();
            await using (file.ConfigureAwait(false))
            {
                for (long chunk = 0; chunk < totalChunks; chunk++)
                {
                    await WaitForRoomAsync(chunk).ConfigureAwait(false);
                    var slot = (int)(chunk % slotCount);
                    var wanted = (int)Math.Min(options.ChunkBytes, Image.Length - (chunk * options.ChunkBytes));
                    var read = await file.ReadAtLeastAsync(ring.AsMemory(slot * options.ChunkBytes, wanted), wanted, throwOnEndOfStream: false, stop.Token).ConfigureAwait(false);
                    if (read != wanted)
                    {
                        throw new IOException($"image '{Image.Path}' ended after {(chunk * options.ChunkBytes) + read} of {Image.Length} bytes: it changed while it was being burned");
                    }

                    diskBytes.Add(read);
                    hash.AppendData(ring, slot * options.ChunkBytes, read);
                    if (chunk == totalChunks - 1)
                    {
                        sha256.TrySetResult(Convert.ToHexStringLower(hash.GetHashAndReset()));
                    }

                    lock (sync)
                    {
                        lengths[slot] = read;
                        head = chunk + 1;
                        Signal();
                    }
                }
            }
        }
        catch (Exception failure)
        {
            sha256.TrySetException(failure);
            lock (sync)
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
            lock (sync)
            {
                var overwritten = chunk - slotCount;
                var blocking = cursors.Where(c => !c.Detached && c.Protects(overwritten)).ToList();
                if (blocking.Count == 0)
                {
                    return;
                }

                // A cursor starves when it has had every chunk read so far (a woken cursor that
                // has not yet taken its chunk does not count).
                var starving = cursors.Any(c => !c.Detached && c.Waiting && c.Next >= head);
                starvingSince = starving ? starvingSince ?? time.GetTimestamp() : null;
                var left = starvingSince is { } since ? options.DetachAfter - time.GetElapsedTime(since) : Timeout.InfiniteTimeSpan;
                if (starvingSince is not null && left <= TimeSpan.Zero)
                {
                    foreach (var laggard in blocking.Where(c => !c.DetachRequested))
                    {
                        laggard.DetachRequested = true;
                        WritingLog.CursorDetached(logger, Image.Path, laggard.Id, (chunk - laggard.Next) * options.ChunkBytes);
                    }

                    // Detached laggards protect only the chunk they hold: look again at once.
                    starvingSince = null;
                    continue;
                }

                // Task.Delay counts whole milliseconds: rounding up keeps a sub-millisecond rest from spinning.
                wait = left == Timeout.InfiniteTimeSpan
                    ? changed.Task
                    : Task.WhenAny(changed.Task, Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), time, stop.Token));
            }

            await wait.WaitAsync(stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Wakes everyone waiting for a change of ring state (call under the lock).</summary>
    private void Signal()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    private void Close(Cursor cursor)
    {
        bool last;
        lock (sync)
        {
            cursors.Remove(cursor);
            Signal();
            last = cursors.Count == 0 && !closed;
            closed |= last;
        }

        if (last)
        {
            onLastCursorClosed(this);
            _ = DisposeAsync().AsTask();
        }
    }
}
