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
        private StreamSectorSource? own;

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

        public long CapacityBytes => reader.options.RingBytes;

        public long BufferedBytes
        {
            get
            {
                if (own is { } detached)
                {
                    return detached.BufferedBytes;
                }

                lock (reader.sync)
                {
                    return Math.Max(0, Math.Min(reader.head * reader.options.ChunkBytes, reader.Image.Length) - (Next * reader.options.ChunkBytes));
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
            while (own is null)
            {
                Task wait;
                lock (reader.sync)
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
                    if (Next < reader.head && reader.head >= reader.startChunks)
                    {
                        var slot = (int)(Next % reader.slotCount);
                        Held = Next++;
                        Waiting = false;
                        return reader.ring.AsMemory(slot * reader.options.ChunkBytes, reader.lengths[slot]);
                    }

                    if (Next >= reader.totalChunks)
                    {
                        return ReadOnlyMemory<byte>.Empty;
                    }

                    if (!Waiting)
                    {
                        // Tell the filler a cursor starves: if the ring is full it detaches the laggard.
                        Waiting = true;
                        reader.Signal();
                    }

                    wait = reader.changed.Task;
                }

                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            own ??= OpenOwn();
            return await own.NextAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask<string> GetSha256Async(CancellationToken cancellationToken) =>
            await reader.sha256.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

        public async ValueTask DisposeAsync()
        {
            if (own is not null)
            {
                await own.DisposeAsync().ConfigureAwait(false);
            }

            reader.Close(this);
        }

        /// <summary>The private disk reader of a detached cursor, from the first chunk it has not had.</summary>
        private StreamSectorSource OpenOwn()
        {
            reader.CountDetached();
            var offset = Next * reader.options.ChunkBytes;
            var file = reader.Image.OpenRead();
            file.Position = offset;
            return new StreamSectorSource(file, reader.Image.Length - offset, reader.options.ChunkBytes, reader.options.DetachedFifoBytes, ownsStream: true, reader.diskBytes);
        }
    }
}
