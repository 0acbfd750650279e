using System.Runtime.InteropServices;

namespace Farm.Device.Transports.Windows;

/// <summary>
/// SCSI_PASS_THROUGH_DIRECT from the Windows DDK's ntddscsi.h:
/// <code>
/// USHORT Length; UCHAR ScsiStatus, PathId, TargetId, Lun, CdbLength, SenseInfoLength, DataIn;
/// ULONG DataTransferLength; ULONG TimeOutValue; PVOID DataBuffer; ULONG SenseInfoOffset; UCHAR Cdb[16];
/// </code>
/// With C's natural alignment on x64 (ULONG 4 bytes, PVOID 8): the bytes end at 9 after DataIn,
/// DataTransferLength is padded to 12, TimeOutValue 16, DataBuffer aligned to 24, SenseInfoOffset
/// 32, Cdb 36..51, and the size rounds up to a multiple of 8: 56. On 32-bit Windows DataBuffer is
/// at 20 and the size is 44. Sequential layout of the same field types reproduces exactly this;
/// the layout tests pin the numbers on every OS.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ScsiPassThroughDirect
{
    public ushort Length;
    public byte ScsiStatus;
    public byte PathId;
    public byte TargetId;
    public byte Lun;
    public byte CdbLength;
    public byte SenseInfoLength;

    /// <summary>SCSI_IOCTL_DATA_OUT 0, SCSI_IOCTL_DATA_IN 1, SCSI_IOCTL_DATA_UNSPECIFIED 2.</summary>
    public byte DataIn;
    public uint DataTransferLength;

    /// <summary>Seconds.</summary>
    public uint TimeOutValue;
    public nint DataBuffer;

    /// <summary>Offset of the sense buffer from the start of this structure.</summary>
    public uint SenseInfoOffset;
    public fixed byte Cdb[16];
}

/// <summary>
/// The usual "with sense" wrapper: the pass-through structure, a ULONG of padding, then the
/// sense buffer it points at through SenseInfoOffset (60 on x64). The driver writes the sense
/// into the same buffer it returns, so one allocation serves as input and output.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ScsiPassThroughDirectWithSense
{
    public const int SenseLength = 32;

    public ScsiPassThroughDirect PassThrough;
    public uint Filler;
    public fixed byte Sense[SenseLength];
}

/// <summary>STORAGE_PROPERTY_QUERY (ntddstor.h): PropertyId, QueryType, AdditionalParameters[1].</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct StoragePropertyQuery
{
    public const int StorageAdapterProperty = 1;
    public const int PropertyStandardQuery = 0;

    public int PropertyId;
    public int QueryType;
    public fixed byte AdditionalParameters[1];
}

/// <summary>
/// STORAGE_ADAPTER_DESCRIPTOR (ntddstor.h): Version, Size, MaximumTransferLength,
/// MaximumPhysicalPages, AlignmentMask (DWORDs), four BOOLEANs, BusType (BYTE), BusMajorVersion,
/// BusMinorVersion (WORDs), SrbType, AddressType (BYTEs): 32 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct StorageAdapterDescriptor
{
    public uint Version;
    public uint Size;
    public uint MaximumTransferLength;
    public uint MaximumPhysicalPages;

    /// <summary>Buffers must be aligned to AlignmentMask + 1 bytes.</summary>
    public uint AlignmentMask;
    public byte AdapterUsesPio;
    public byte AdapterScansDown;
    public byte CommandQueueing;
    public byte AcceleratedTransfer;
    public byte BusType;
    public ushort BusMajorVersion;
    public ushort BusMinorVersion;
    public byte SrbType;
    public byte AddressType;
}

/// <summary>
/// CDROM_EXCLUSIVE_LOCK (ntddcdrm.h): a CDROM_EXCLUSIVE_ACCESS (RequestType enum, Flags ULONG)
/// and CallerName[CDROM_EXCLUSIVE_CALLER_LENGTH = 64]: 72 bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CdromExclusiveLock
{
    public const int CallerLength = 64;
    public const int QueryState = 0;
    public const int LockDevice = 1;
    public const int UnlockDevice = 2;

    public int RequestType;
    public uint Flags;
    public fixed byte CallerName[CallerLength];
}

/// <summary>I/O control codes: CTL_CODE(DeviceType, Function, Method, Access) = DeviceType&lt;&lt;16 | Access&lt;&lt;14 | Function&lt;&lt;2 | Method.</summary>
internal static class WindowsIoctl
{
    private const uint MethodBuffered = 0;
    private const uint FileAnyAccess = 0;
    private const uint FileReadWriteAccess = 1 | 2;

    /// <summary>IOCTL_SCSI_BASE (FILE_DEVICE_CONTROLLER 4), function 0x405: 0x4D014.</summary>
    public static readonly uint ScsiPassThroughDirect = ControlCode(0x0004, 0x0405, MethodBuffered, FileReadWriteAccess);

    /// <summary>IOCTL_STORAGE_BASE (FILE_DEVICE_MASS_STORAGE 0x2D), function 0x500: 0x2D1400.</summary>
    public static readonly uint StorageQueryProperty = ControlCode(0x002D, 0x0500, MethodBuffered, FileAnyAccess);

    /// <summary>IOCTL_CDROM_BASE (FILE_DEVICE_CD_ROM 2), function 0x17: 0x2C05C.</summary>
    public static readonly uint CdromExclusiveAccess = ControlCode(0x0002, 0x0017, MethodBuffered, FileReadWriteAccess);

    public static uint ControlCode(uint deviceType, uint function, uint method, uint access) =>
        (deviceType << 16) | (access << 14) | (function << 2) | method;
}
