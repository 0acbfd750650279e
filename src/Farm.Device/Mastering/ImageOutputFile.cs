using Farm.Device.Transports.Linux;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Mastering;

/// <summary>
/// A new image file written front to back (farm master's output) with direct I/O where the system
/// allows it: the bytes go from the sector source's buffers to the disk without a copy into the
/// page cache, which on a 1 GiB image was about as much system CPU as reading the tree
/// (docs/BENCHMARKS.md, "Issue 14, mastering I/O"), and a finished image does not push the rest of
/// the machine out of memory. A write whose buffer, offset or length does not meet the file's
/// direct I/O alignment (a pooled buffer; the last 2048 bytes where the disk wants 4096) turns
/// direct I/O off for it and every later write: the file is then written through the page cache
/// as before. Not thread-safe: one writer.
/// </summary>
public sealed class ImageOutputFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private LinuxNative.DirectAlignment? _direct;
    private long _offset;

    private ImageOutputFile(SafeFileHandle handle, string path)
    {
        _handle = handle;
        _path = path;
        _direct = OperatingSystem.IsLinux() ? LinuxNative.TryDirect((int)handle.DangerousGetHandle()) : null;
    }

    /// <summary>Bytes written so far with direct I/O.</summary>
    public long DirectBytes { get; private set; }

    /// <summary>Creates (or empties) the file at <paramref name="path"/>, with the permissions a new file gets.</summary>
    public static ImageOutputFile Create(string path) =>
        new(File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None), path);

    /// <summary>Appends <paramref name="data"/> to the file.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (_direct is { } alignment && !Allows(alignment, data))
        {
            StopDirect();
        }

        if (_direct is not null)
        {
            try
            {
                RandomAccess.Write(_handle, data, _offset);
                DirectBytes += data.Length;
                _offset += data.Length;
                return;
            }
            catch (IOException)
            {
                // A file system may refuse a direct write its alignment allowed (EINVAL): the page
                // cache writes it; a real failure (a full disk) fails again there, with its own message.
                StopDirect();
            }
        }

        RandomAccess.Write(_handle, data, _offset);
        _offset += data.Length;
    }

    public void Dispose() => _handle.Dispose();

    private void StopDirect()
    {
        _direct = null;
        if (!LinuxNative.StopDirect((int)_handle.DangerousGetHandle(), out var errno))
        {
            throw new IOException($"cannot write {_path}: {LinuxNative.Describe(errno)}");
        }
    }

    private unsafe bool Allows(LinuxNative.DirectAlignment alignment, ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            return alignment.Allows((nuint)start, _offset, data.Length);
        }
    }
}
