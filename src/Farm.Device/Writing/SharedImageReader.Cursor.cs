namespace Farm.Device.Writing;

public sealed partial class SharedImageReader
{
    /// <summary>
    /// One drive's position in the shared image. Attached, it hands out ring slots (no copy); once
    /// detached (late, or a whole ring behind while others starve) it reads the rest from disk
    /// through a private <see cref="StreamSectorSource"/>. The hash is always the filler's, of the
    /// whole image.
    /// </summary>
    internal sealed class Cursor(SharedImageReader reader, int id) : ISectorSource
    {
        private StreamSectorSource? _own;

        public int Id => id;

        /// <summary>The next chunk to hand out.</summary>
        public long Next { get; private set; }

        /// <summary>The chunk handed out and possibly still being sent to the drive, or -1.</summary>
        public long Held { get; private set; } = -1;

        /// <summary>Waiting for the filler (this cursor has caught up with it).</summary>
        public bool Waiting { get; private set; }

        public bool Detached { get; set; }

        /// <summary>The filler wants this cursor off the ring: it switches to disk at its next chunk.</summary>
        public bool DetachRequested { get; set; }

        public long CapacityBytes => reader._options.RingBytes;

        public long BufferedBytes
        {
            get
            {
                if (_own is { } detached)
                {
                    return detached.BufferedBytes;
                }

                lock (reader._sync)
                {
                    return Math.Max(0, Math.Min(reader._head * reader._options.ChunkBytes, reader.Image.Length) - (Next * reader._options.ChunkBytes));
                }
            }
        }

        /// <summary>True when chunk <paramref name="chunk"/>, about to be overwritten, is still needed by this cursor.</summary>
        public bool Protects(long chunk)
        {
            if (chunk < 0)
            {
                return false;
            }

            if (DetachRequested)
            {
                return chunk == Held;
            }

            return chunk >= (Held >= 0 ? Held : Next);
        }

        public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
        {
            while (_own is null)
            {
                Task wait;
                lock (reader._sync)
                {
                    Held = -1;
                    if (DetachRequested || Detached)
                    {
                        Detached = true;
                        Waiting = false;
                        reader.Signal();
                        break;
                    }

                    if (reader.Failure is { } failure)
                    {
                        throw new IOException($"reading image '{reader.Image.Path}' failed: {failure.Message}", failure);
                    }

                    // A new ring hands nothing out before it has its start lead (StartBytes).
                    if (Next < reader._head && reader._head >= reader._startChunks)
                    {
                        var slot = (int)(Next % reader._slotCount);
                        Held = Next++;
                        Waiting = false;
                        return reader._ring.AsMemory(slot * reader._options.ChunkBytes, reader._lengths[slot]);
                    }

                    if (Next >= reader._totalChunks)
                    {
                        return ReadOnlyMemory<byte>.Empty;
                    }

                    if (!Waiting)
                    {
                        // Tell the filler a cursor starves: if the ring is full it detaches the laggard.
                        Waiting = true;
                        reader.Signal();
                    }

                    wait = reader._changed.Task;
                }

                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            _own ??= OpenOwn();
            return await _own.NextAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask<string> GetSha256Async(CancellationToken cancellationToken) =>
            await reader._sha256.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        public async ValueTask DisposeAsync()
        {
            if (_own is not null)
            {
                await _own.DisposeAsync().ConfigureAwait(false);
            }

            reader.Close(this);
        }

        /// <summary>The private disk reader of a detached cursor, from the first chunk it has not had.</summary>
        private StreamSectorSource OpenOwn()
        {
            reader.CountDetached();
            var offset = Next * reader._options.ChunkBytes;
            return StreamSectorSource.OpenImage(reader.Image, offset, reader.Image.Length - offset, reader._options.ChunkBytes, reader._options.DetachedFifoBytes, reader._diskBytes);
        }
    }
}
