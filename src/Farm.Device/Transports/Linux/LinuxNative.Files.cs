using System.Runtime.InteropServices;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// The libc calls mastering reads source folders with. System.IO costs several system calls per
/// file (a FileStream is openat, fstat, flock, fadvise, then close; FileInfo adds lstat and
/// readlink), which on a folder of 20,000 small files is most of the work; these are one each.
/// </summary>
internal static unsafe partial class LinuxNative
{
    // Constants from include/uapi/linux/fcntl.h, stat.h and fadvise.h (x86-64 and arm64 alike).
    public const int DirectoryType = 0x4000;
    public const int SymbolicLinkType = 0xA000;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxMode = 0x2;
    private const uint StatxModifiedTime = 0x40;
    private const uint StatxSize = 0x200;
    private const int ReadAccess = 4; // R_OK, unistd.h
    private const int AdviseWillNeed = 3; // POSIX_FADV_WILLNEED

    [LibraryImport(LibC, EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(LibC, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    [LibraryImport(LibC, EntryPoint = "posix_fadvise")]
    private static partial int Fadvise(int fd, long offset, long length, int advice);

    /// <summary>What one statx(2) says about an entry: st_mode's type bits, size, modification time.</summary>
    public readonly record struct EntryStatus(int Type, long Size, DateTime ModifiedUtc);

    /// <summary>
    /// The entry at <paramref name="path"/> itself (a symbolic link is reported as one, not
    /// followed), or the errno. struct statx: stx_mode at 28, stx_size at 40, stx_mtime at 112
    /// (a 64-bit tv_sec, then a 32-bit tv_nsec).
    /// </summary>
    public static EntryStatus? StatusOf(string path, out int errno)
    {
        const int BufferSize = 256;
        var buffer = stackalloc byte[BufferSize];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxMode | StatxModifiedTime | StatxSize, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        var modified = DateTime.UnixEpoch.AddTicks((*(long*)(buffer + 112) * TimeSpan.TicksPerSecond) + (*(uint*)(buffer + 120) / 100));
        return new EntryStatus(*(ushort*)(buffer + 28) & FileTypeMask, *(long*)(buffer + 40), modified);
    }

    /// <summary>The size of the open file <paramref name="fd"/>, or -1 with the errno.</summary>
    public static long SizeOf(int fd, out int errno)
    {
        const int BufferSize = 256;
        var buffer = stackalloc byte[BufferSize];
        var status = Statx(fd, string.Empty, AtEmptyPath, StatxSize, buffer);
        errno = status == 0 ? 0 : Marshal.GetLastPInvokeError();
        return status == 0 ? *(long*)(buffer + 40) : -1;
    }

    /// <summary>Whether the calling user may read <paramref name="path"/> (access(2), R_OK); the errno when not.</summary>
    public static int ReadableErrno(string path) => Access(path, ReadAccess) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Opens <paramref name="path"/> read-only; -1 with the errno when it cannot be.</summary>
    public static int OpenRead(string path, out int errno)
    {
        var fd = Open(path, CloseOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd;
    }

    /// <summary>Reads into <paramref name="buffer"/> from the file's position: the bytes read, or -1 with the errno.</summary>
    public static int ReadInto(int fd, Span<byte> buffer, out int errno)
    {
        fixed (byte* start = buffer)
        {
            nint read;
            do
            {
                read = Read(fd, start, buffer.Length);
                errno = read < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (read < 0 && errno == EIntr);

            return (int)read;
        }
    }

    /// <summary>Asks the kernel to start reading the file's first <paramref name="bytes"/> now (a hint: failures are ignored).</summary>
    public static void WillNeed(int fd, long bytes) => _ = Fadvise(fd, 0, bytes, AdviseWillNeed);
}
