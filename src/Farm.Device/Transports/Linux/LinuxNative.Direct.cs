using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// Opening an image for direct I/O (O_DIRECT): the disk's DMA fills the reader's buffer and the
/// kernel copies nothing through the page cache. An image is read once from end to end while it
/// is burned, so the page cache gains nothing from holding it, and the copy out of it was the
/// largest single CPU cost of the write pipeline after the hash (docs/BENCHMARKS.md).
/// </summary>
internal static unsafe partial class LinuxNative
{
    private const int GetStatusFlags = 3; // F_GETFL, asm-generic/fcntl.h
    private const int SetStatusFlags = 4; // F_SETFL
    private const uint StatxDirectAlignment = 0x2000; // STATX_DIOALIGN, Linux 6.1

    [LibraryImport(LibC, EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>
    /// What direct I/O on one file needs (statx's stx_dio_mem_align and stx_dio_offset_align): the
    /// buffer's address a multiple of <paramref name="Memory"/>, the file offset and the length
    /// multiples of <paramref name="Offset"/> (512 bytes on this project's ext4 and virtio disks).
    /// </summary>
    public readonly record struct DirectAlignment(int Memory, int Offset)
    {
        /// <summary>Whether a transfer of <paramref name="length"/> bytes at <paramref name="address"/> and file offset <paramref name="offset"/> can go direct.</summary>
        public bool Allows(nuint address, long offset, int length) =>
            address % (nuint)Memory == 0 && offset % Offset == 0 && length % Offset == 0;
    }

    /// <summary>
    /// Turns direct I/O on for the open file <paramref name="fd"/> and says what it needs, or
    /// leaves the file as it is and returns null: not Linux, another architecture, a kernel older
    /// than 6.1 (no STATX_DIOALIGN: the alignment would be a guess, and a wrong guess is EINVAL
    /// in the middle of an image), or a file system without direct I/O (alignment 0, or fcntl refused).
    /// </summary>
    public static DirectAlignment? TryDirect(int fd)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag is not { } direct)
        {
            return null;
        }

        const int BufferSize = 256;
        var buffer = stackalloc byte[BufferSize];
        if (Statx(fd, string.Empty, AtEmptyPath, StatxDirectAlignment, buffer) != 0 || (*(uint*)buffer & StatxDirectAlignment) == 0)
        {
            return null;
        }

        // struct statx: stx_mask at 0, stx_dio_mem_align at 152, stx_dio_offset_align at 156.
        var alignment = new DirectAlignment((int)*(uint*)(buffer + 152), (int)*(uint*)(buffer + 156));
        if (alignment.Memory <= 0 || alignment.Offset <= 0)
        {
            return null;
        }

        var flags = Fcntl(fd, GetStatusFlags, 0);
        return flags >= 0 && Fcntl(fd, SetStatusFlags, flags | direct) == 0 ? alignment : null;
    }

    /// <summary>
    /// Turns direct I/O off again for <paramref name="fd"/> (the rest of the file is unaligned);
    /// false with the errno when the kernel refuses.
    /// </summary>
    public static bool StopDirect(int fd, out int errno)
    {
        var flags = Fcntl(fd, GetStatusFlags, 0);
        var ok = flags >= 0 && Fcntl(fd, SetStatusFlags, flags & ~(DirectFlag ?? 0)) == 0;
        errno = ok ? 0 : Marshal.GetLastPInvokeError();
        return ok;
    }

    /// <summary>
    /// O_DIRECT: 040000 in asm-generic/fcntl.h (x86-64), 0200000 in arch/arm64's fcntl.h; null on
    /// other architectures, which then read through the page cache.
    /// </summary>
    private static int? DirectFlag => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => null,
    };

    /// <summary>
    /// A read-only handle to <paramref name="path"/> with O_DIRECT, or null when direct I/O is not
    /// available for it (not Linux, another architecture, or a file system that refuses O_DIRECT:
    /// EINVAL, as tmpfs did before Linux 6.6); the caller then reads it the ordinary way.
    /// </summary>
    public static SafeFileHandle? OpenDirect(string path)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag is not { } direct)
        {
            return null;
        }

        var fd = Open(path, ReadOnly | direct | CloseOnExec);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }
}
