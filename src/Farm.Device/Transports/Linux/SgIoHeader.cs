using System.Runtime.InteropServices;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// <c>struct sg_io_hdr</c> of the Linux SCSI generic driver (include/scsi/sg.h, interface
/// version 3), for LP64 targets (x86-64, arm64): 88 bytes, pointers 8-aligned. The field order
/// and types are the kernel's; sequential layout with natural alignment reproduces the C
/// compiler's padding (4 bytes after <c>dxfer_len</c> and after <c>pack_id</c>). The layout test
/// pins every offset, so a wrong field here fails a test, not a burn.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SgIoHeader
{
    /// <summary>Always 'S'.</summary>
    public int InterfaceId;

    /// <summary>SG_DXFER_NONE (-1), SG_DXFER_TO_DEV (-2), SG_DXFER_FROM_DEV (-3).</summary>
    public int DxferDirection;

    public byte CmdLen;

    /// <summary>Size of the sense buffer <see cref="Sbp"/> points at.</summary>
    public byte MxSbLen;

    /// <summary>0: <see cref="Dxferp"/> is one buffer, not a scatter-gather list.</summary>
    public ushort IovecCount;

    public uint DxferLen;

    public nint Dxferp;

    public nint Cmdp;

    public nint Sbp;

    /// <summary>Milliseconds; the kernel aborts the command after it.</summary>
    public uint Timeout;

    public uint Flags;

    public int PackId;

    public nint UsrPtr;

    /// <summary>SAM status byte as the target returned it.</summary>
    public byte Status;

    /// <summary>The status shifted right by one (the old sg interface's form); not used.</summary>
    public byte MaskedStatus;

    public byte MsgStatus;

    /// <summary>Sense bytes actually written to <see cref="Sbp"/>.</summary>
    public byte SbLenWr;

    /// <summary>DID_* code of the host adapter (include/scsi/scsi.h of the kernel).</summary>
    public ushort HostStatus;

    /// <summary>DRIVER_* code; DRIVER_SENSE (0x08) says the sense buffer is valid.</summary>
    public ushort DriverStatus;

    /// <summary>Bytes of the data phase not transferred.</summary>
    public int Resid;

    public uint Duration;

    public uint Info;
}

/// <summary>Constants of include/scsi/sg.h used with <see cref="SgIoHeader"/>.</summary>
internal static class SgIo
{
    /// <summary>The SG_IO ioctl request number.</summary>
    public const uint Request = 0x2285;

    public const int InterfaceId = 'S';

    public const int DxferNone = -1;
    public const int DxferToDevice = -2;
    public const int DxferFromDevice = -3;

    public static int DirectionOf(DataDirection direction) => direction switch
    {
        DataDirection.None => DxferNone,
        DataDirection.ToDevice => DxferToDevice,
        DataDirection.FromDevice => DxferFromDevice,
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "unknown data direction"),
    };
}
