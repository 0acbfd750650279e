using Farm.Device.Errors;

namespace Farm.Device.Mastering;

/// <summary>
/// An image produced as it is read, front to back, from its parts in order: byte arrays (each
/// metadata structure, built when the reader reaches it: the sequence is lazy, so a directory's
/// extent is built only when its turn comes) and files (opened when their turn comes, or a little
/// before: <see cref="SourceFiles"/>; read straight into the caller's buffer, then padded to their
/// block). ISO 9660 and UDF images are both such sequences (<see cref="IsoLayout"/>,
/// <see cref="UdfLayout"/>), so every format reads its files the same way. A file whose size is
/// no longer the planned one stops the image with an error naming it: a silently shifted or
/// truncated image would burn a bad disc.
/// </summary>
/// <param name="parts">The parts: byte arrays and <see cref="IsoFile"/>s.</param>
/// <param name="files">The files in the order <paramref name="parts"/> yields them, for opening ahead.</param>
/// <param name="length">The image's planned bytes.</param>
internal sealed class ImageStream(IEnumerable<object> parts, IReadOnlyList<IsoFile> files, long length) : Stream
{
    private readonly byte[] _zeros = new byte[IsoLayout.BlockSize];
    private readonly SourceFiles _sources = new(files);
    private IEnumerator<object>? _cursor;
    private ReadOnlyMemory<byte> _pending;
    private IsoFile? _file;
    private ISourceFile? _data;
    private long _fileLeft;
    private bool _endChecked;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
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

        _cursor ??= parts.GetEnumerator();
        while (true)
        {
            if (!_pending.IsEmpty)
            {
                var n = Math.Min(_pending.Length, buffer.Length);
                _pending.Span[..n].CopyTo(buffer);
                _pending = _pending[n..];
                _position += n;
                return n;
            }

            if (_file is not null)
            {
                var read = ReadFile(_file, buffer);
                if (read > 0)
                {
                    _position += read;
                    return read;
                }

                continue;
            }

            if (!_cursor.MoveNext())
            {
                if (_position != Length)
                {
                    throw new InvalidOperationException($"the image ended at byte {_position:N0} but was planned as {Length:N0}: a bug in the layout");
                }

                return 0;
            }

            switch (_cursor.Current)
            {
                case byte[] bytes:
                    _pending = bytes;
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
            _sources.Dispose();
            _cursor?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Open(IsoFile next)
    {
        if (next.Size == 0)
        {
            return; // no extent, nothing to read
        }

        try
        {
            _data = _sources.Open(next);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            throw MasteringErrors.Unreadable(next, failure);
        }

        _file = next;
        _fileLeft = next.Size;
        _endChecked = false;
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
        if (_fileLeft > 0)
        {
            var wanted = (int)Math.Min(buffer.Length, _fileLeft);
            var ask = wanted == _fileLeft && wanted < buffer.Length ? wanted + 1 : wanted;
            var read = ReadData(current, buffer[..ask]);
            if (read < wanted || read > _fileLeft)
            {
                throw SizeChanged(current);
            }

            _endChecked = ask > wanted;
            _fileLeft -= read;
            return read;
        }

        if (!_endChecked && ReadData(current, stackalloc byte[1]) != 0)
        {
            throw SizeChanged(current);
        }

        CloseFile();
        _file = null;
        _pending = _zeros.AsMemory(0, (int)((IsoLayout.BlockSize - (current.Size % IsoLayout.BlockSize)) % IsoLayout.BlockSize));
        return 0;
    }

    private int ReadData(IsoFile current, Span<byte> buffer)
    {
        try
        {
            return _data!.Read(buffer);
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
            now = _data!.Length();
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
        _data?.Dispose();
        _data = null;
    }
}
