using Farm.Device.Errors;

namespace Farm.Device.Mastering;

/// <summary>
/// The image produced as it is read, front to back, in the order of <see cref="IsoLayout"/>:
/// each metadata structure is built when the reader reaches it (a directory's extent is as large
/// as its entries), each file is opened when its turn comes (or a little before: <see cref="SourceFiles"/>)
/// and read straight into the caller's buffer, then padded to its block. A file whose size is no
/// longer the planned one stops the image with an error naming it: a silently shifted or truncated
/// image would burn a bad disc.
/// </summary>
internal sealed class IsoImageStream(IsoLayout layout, Func<IsoTree, VolumeDescriptor.Fields> descriptors) : Stream
{
    private readonly byte[] zeros = new byte[IsoLayout.BlockSize];
    private readonly SourceFiles sources = new(layout.Files);
    private IEnumerator<object>? parts;
    private ReadOnlyMemory<byte> pending;
    private IsoFile? file;
    private ISourceFile? data;
    private long fileLeft;
    private bool endChecked;
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => layout.TotalBlocks * IsoLayout.BlockSize;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException("the image is produced front to back");
    }

    // Every read is synchronous: the file reads are (the runtime's asynchronous file reads on Linux
    // are the same read(2) handed to a pool thread, a hand-off per small file), and the rest is
    // copying from memory. The sector source's reader already runs apart from the drive.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        parts ??= Parts().GetEnumerator();
        while (true)
        {
            if (!pending.IsEmpty)
            {
                var n = Math.Min(pending.Length, buffer.Length);
                pending.Span[..n].CopyTo(buffer);
                pending = pending[n..];
                position += n;
                return n;
            }

            if (file is not null)
            {
                var read = ReadFile(file, buffer);
                if (read > 0)
                {
                    position += read;
                    return read;
                }

                continue;
            }

            if (!parts.MoveNext())
            {
                if (position != Length)
                {
                    throw new InvalidOperationException($"the image ended at byte {position:N0} but was planned as {Length:N0}: a bug in the layout");
                }

                return 0;
            }

            switch (parts.Current)
            {
                case byte[] bytes:
                    pending = bytes;
                    break;
                case IsoFile next:
                    Open(next);
                    break;
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("the image is produced front to back");

    public override void SetLength(long value) => throw new NotSupportedException("the image is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the image is read-only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseFile();
            sources.Dispose();
            parts?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The image's parts in order: byte arrays (built lazily) and files.</summary>
    private IEnumerable<object> Parts()
    {
        yield return new byte[IsoLayout.SystemAreaBlocks * IsoLayout.BlockSize];
        yield return VolumeDescriptor.Build(IsoTree.Primary, descriptors(IsoTree.Primary));
        yield return VolumeDescriptor.Build(IsoTree.Joliet, descriptors(IsoTree.Joliet));
        yield return VolumeDescriptor.Terminator();
        foreach (var tree in (IsoTree[])[IsoTree.Primary, IsoTree.Joliet])
        {
            yield return PathTable.Build(layout.Directories(tree), tree, bigEndian: false, layout.PathTableBlocks(tree));
            yield return PathTable.Build(layout.Directories(tree), tree, bigEndian: true, layout.PathTableBlocks(tree));
        }

        foreach (var tree in (IsoTree[])[IsoTree.Primary, IsoTree.Joliet])
        {
            foreach (var directory in layout.Directories(tree))
            {
                yield return DirectoryExtent.Build(directory, tree);
            }
        }

        foreach (var next in layout.Files)
        {
            yield return next;
        }
    }

    private void Open(IsoFile next)
    {
        if (next.Size == 0)
        {
            return; // no extent, nothing to read
        }

        try
        {
            data = sources.Open(next);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw MasteringErrors.Unreadable(next, failure);
        }

        file = next;
        fileLeft = next.Size;
        endChecked = false;
    }

    /// <summary>
    /// The file's next bytes; 0 once its planned bytes are in (its padding is then pending). The
    /// size is checked without a stat: when the rest of the file fits with a byte to spare, one
    /// more byte is asked for, and a regular file's read stops short only at its end, so getting
    /// exactly the rest proves the file neither shrank nor grew; otherwise one byte is read past
    /// the end. Only a file that differs is asked its size, for the message.
    /// </summary>
    private int ReadFile(IsoFile current, Span<byte> buffer)
    {
        if (fileLeft > 0)
        {
            var wanted = (int)Math.Min(buffer.Length, fileLeft);
            var ask = wanted == fileLeft && wanted < buffer.Length ? wanted + 1 : wanted;
            var read = ReadData(current, buffer[..ask]);
            if (read < wanted || read > fileLeft)
            {
                throw SizeChanged(current);
            }

            endChecked = ask > wanted;
            fileLeft -= read;
            return read;
        }

        if (!endChecked && ReadData(current, stackalloc byte[1]) != 0)
        {
            throw SizeChanged(current);
        }

        CloseFile();
        file = null;
        pending = zeros.AsMemory(0, (int)((IsoLayout.BlockSize - (current.Size % IsoLayout.BlockSize)) % IsoLayout.BlockSize));
        return 0;
    }

    private int ReadData(IsoFile current, Span<byte> buffer)
    {
        try
        {
            return data!.Read(buffer);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw MasteringErrors.Unreadable(current, failure);
        }
    }

    private DeviceException SizeChanged(IsoFile current)
    {
        long now;
        try
        {
            now = data!.Length();
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw MasteringErrors.Unreadable(current, failure);
        }
        finally
        {
            CloseFile();
        }

        return MasteringErrors.Changed(current, $"is now {now:N0} bytes");
    }

    private void CloseFile()
    {
        data?.Dispose();
        data = null;
    }
}
