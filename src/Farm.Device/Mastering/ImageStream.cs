namespace Farm.Device.Mastering;

/// <summary>
/// An image produced as it is read, front to back, from its parts in order: byte arrays (each
/// metadata structure, built when the reader reaches it: the sequence is lazy, so a directory's
/// extent is built only when its turn comes) and files (opened when their turn comes, read
/// straight into the caller's buffer, then padded to their block). ISO 9660 and UDF images are
/// both such sequences (<see cref="IsoLayout"/>, <see cref="UdfLayout"/>). A file whose size is
/// no longer the planned one stops the image with an error naming it: a silently shifted or
/// truncated image would burn a bad disc.
/// </summary>
internal sealed class ImageStream(IEnumerable<object> parts, long length) : Stream
{
    private readonly byte[] zeros = new byte[IsoLayout.BlockSize];
    private IEnumerator<object>? cursor;
    private ReadOnlyMemory<byte> pending;
    private IsoFile? file;
    private FileStream? data;
    private long fileLeft;
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException("the image is produced front to back");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        cursor ??= parts.GetEnumerator();
        while (true)
        {
            if (!pending.IsEmpty)
            {
                var n = Math.Min(pending.Length, buffer.Length);
                pending[..n].CopyTo(buffer);
                pending = pending[n..];
                position += n;
                return n;
            }

            if (file is not null)
            {
                var read = await ReadFileAsync(file, buffer, cancellationToken).ConfigureAwait(false);
                if (read > 0)
                {
                    position += read;
                    return read;
                }

                continue;
            }

            if (!cursor.MoveNext())
            {
                if (position != Length)
                {
                    throw new InvalidOperationException($"the image ended at byte {position:N0} but was planned as {Length:N0}: a bug in the layout");
                }

                return 0;
            }

            switch (cursor.Current)
            {
                case byte[] bytes:
                    pending = bytes;
                    break;
                case IsoFile opened:
                    await OpenAsync(opened).ConfigureAwait(false);
                    break;
            }
        }
    }

    // Stream demands a synchronous Read; the write path and WriteAsync only read asynchronously.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("the image is produced front to back");

    public override void SetLength(long value) => throw new NotSupportedException("the image is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the image is read-only");

    public override async ValueTask DisposeAsync()
    {
        await CloseFileAsync().ConfigureAwait(false);
        cursor?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            data?.Dispose();
            cursor?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task OpenAsync(IsoFile opened)
    {
        if (opened.Size == 0)
        {
            return; // no extent, nothing to read (a file that grew since is caught by its size below)
        }

        try
        {
            data = new FileStream(opened.SourcePath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                BufferSize = 0, // reads go straight into the caller's large buffer
                Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
            });
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw MasteringErrors.Unreadable(opened, failure);
        }

        if (data.Length != opened.Size)
        {
            var now = data.Length;
            await CloseFileAsync().ConfigureAwait(false);
            throw MasteringErrors.Changed(opened, $"is now {now:N0} bytes");
        }

        file = opened;
        fileLeft = opened.Size;
    }

    private async ValueTask<int> ReadFileAsync(IsoFile current, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (fileLeft > 0)
        {
            var wanted = (int)Math.Min(buffer.Length, fileLeft);
            int read;
            try
            {
                read = await data!.ReadAsync(buffer[..wanted], cancellationToken).ConfigureAwait(false);
            }
            catch (IOException failure)
            {
                throw MasteringErrors.Unreadable(current, failure);
            }

            if (read == 0)
            {
                throw MasteringErrors.Changed(current, $"ended after {current.Size - fileLeft:N0} bytes");
            }

            fileLeft -= read;
            return read;
        }

        // The planned bytes are in; more bytes now would mean the file grew while it was read.
        var grownTo = data!.Length;
        await CloseFileAsync().ConfigureAwait(false);
        file = null;
        if (grownTo != current.Size)
        {
            throw MasteringErrors.Changed(current, $"grew to {grownTo:N0} bytes while it was read");
        }

        pending = zeros.AsMemory(0, (int)((IsoLayout.BlockSize - (current.Size % IsoLayout.BlockSize)) % IsoLayout.BlockSize));
        return 0;
    }

    private async ValueTask CloseFileAsync()
    {
        if (data is not null)
        {
            await data.DisposeAsync().ConfigureAwait(false);
            data = null;
        }
    }
}
