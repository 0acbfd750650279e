using System.Runtime.InteropServices;

namespace Farm.Device.Transports.Linux;

/// <summary>The few libc calls the SG_IO transport needs (glibc; x86-64 and arm64 share these constants).</summary>
internal static unsafe partial class LinuxNative
{
    private const string LibC = "libc";

    // open(2) flags, asm-generic/fcntl.h (x86-64 and arm64 use the generic values).
    public const int ReadOnly = 0x0000;
    public const int ReadWrite = 0x0002;
    public const int Exclusive = 0x0080;
    public const int NonBlocking = 0x0800;
    public const int CloseOnExec = 0x80000;

    // errno values, asm-generic/errno-base.h.
    public const int EPerm = 1;
    public const int ENoEnt = 2;
    public const int EIntr = 4;
    public const int ENxio = 6;
    public const int ENoMem = 12;
    public const int EAccess = 13;
    public const int EBusy = 16;
    public const int ENoDev = 19;
    public const int EInval = 22;

    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const uint StatxGid = 0x10;

    // st_mode file types, include/uapi/linux/stat.h.
    public const int FileTypeMask = 0xF000;
    public const int RegularFile = 0x8000;

    [LibraryImport(LibC, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(LibC, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int IoctlSgIo(int fd, nuint request, SgIoHeader* header);

    [LibraryImport(LibC, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);

    /// <summary>
    /// The group id owning <paramref name="path"/>, or null. statx(2) is used rather than stat(2)
    /// because struct statx has one layout on every architecture (stx_gid at offset 24,
    /// include/uapi/linux/stat.h), while struct stat differs between x86-64 and arm64.
    /// </summary>
    public static uint? GroupIdOf(string path)
    {
        const int StatxSize = 256;
        var buffer = stackalloc byte[StatxSize];
        return Statx(AtCurrentDirectory, path, 0, StatxGid, buffer) == 0 ? *(uint*)(buffer + 24) : null;
    }

    /// <summary>
    /// The file type bits of <paramref name="path"/> (links followed), or null: stx_mode at
    /// offset 28. Mastering uses it to refuse FIFOs, sockets and devices, whose open or read
    /// would block or never end.
    /// </summary>
    public static int? FileTypeOf(string path)
    {
        const int StatxSize = 256;
        var buffer = stackalloc byte[StatxSize];
        return Statx(AtCurrentDirectory, path, 0, StatxType, buffer) == 0 ? *(ushort*)(buffer + 28) & FileTypeMask : null;
    }

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
