using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// Opening an image for direct I/O (O_DIRECT): the disk's DMA fills the reader's buffer and the
/// kernel copies nothing through the page cache. An image is read once from end to end while it
/// is burned, so the page cache gains nothing from holding it, and the copy out of it was the
/// largest single CPU cost of the write pipeline after the hash (docs/BENCHMARKS.md).
/// </summary>
internal static partial class LinuxNative
{
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
