namespace Farm.Device.Tests.Mastering;

/// <summary>
/// A file written sparsely: blocks of zeros are skipped with a seek, so a 4 GiB image of a
/// sparse 4 GiB file costs no disk and little time. Its length is set to the bytes written.
/// </summary>
internal sealed class SparseFile(string path) : Stream
{
    private readonly FileStream _file = File.Create(path);
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.ContainsAnyExcept((byte)0))
        {
            _file.Position = _length;
            _file.Write(buffer);
        }

        _length += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => _file.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.SetLength(_length);
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
