using Farm.Device.Transports.Linux;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Writing;

/// <summary>
/// An image file read with direct I/O (O_DIRECT on Linux) for a <see cref="StreamSectorSource"/>:
/// the disk fills the source's buffers itself, so the kernel does not copy every byte out of the
/// page cache (the largest CPU cost of the write pipeline after the hash) and a burned image does
/// not push everything else out of memory. Direct I/O needs the buffer, the file offset and the
/// length read to be multiples of the device's logical block size; this class reads whole
/// <see cref="Alignment"/>-byte units into buffers aligned to it (the source's own buffers,
/// <see cref="StreamSectorSource"/>: a pooled array has no such alignment).
/// </summary>
internal sealed class DirectImageFile : IDisposable
{
    /// <summary>4 KiB: a multiple of every logical block size in use (512 and 4096 bytes).</summary>
    public const int Alignment = 4096;

    private readonly SafeFileHandle _handle;
    private long _offset;

    private DirectImageFile(SafeFileHandle handle, long offset)
    {
        _handle = handle;
        _offset = offset;
    }

    /// <summary>
    /// The image at <paramref name="path"/> from <paramref name="offset"/>, for reads of
    /// <paramref name="chunkBytes"/>; null when direct I/O cannot serve them (not Linux, a file
    /// system without O_DIRECT, an offset or chunk size that is not a multiple of 4 KiB).
    /// </summary>
    public static DirectImageFile? TryOpen(string path, long offset, int chunkBytes)
    {
        if (offset % Alignment != 0 || chunkBytes % Alignment != 0)
        {
            return null;
        }

        return LinuxNative.OpenDirect(path) is { } handle ? new DirectImageFile(handle, offset) : null;
    }

    /// <summary>
    /// Reads the next <paramref name="wanted"/> bytes (fewer at the end of the file) into the
    /// buffer's aligned part, asking the disk for whole 4 KiB units: an image whose size is an odd
    /// number of 2048-byte sectors ends in half a unit, which the file's end cuts short.
    /// </summary>
    public int Read(byte[] buffer, int start, int wanted)
    {
        var asked = (wanted + Alignment - 1) / Alignment * Alignment;
        var filled = 0;
        while (filled < wanted)
        {
            var read = RandomAccess.Read(_handle, buffer.AsSpan(start + filled, asked - filled), _offset + filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
            if (read % Alignment != 0)
            {
                break; // a short read of a regular file: its end (the next offset would not be aligned)
            }
        }

        filled = Math.Min(filled, wanted);
        _offset += filled;
        return filled;
    }

    public void Dispose() => _handle.Dispose();
}
