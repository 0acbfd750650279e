using System.Runtime.InteropServices;

namespace Farm.Device.Transports.Iscsi;

/// <summary>
/// The head of libiscsi's <c>struct scsi_task</c> (include/iscsi/scsi-lowlevel.h, libiscsi 1.19,
/// Debian libiscsi-dev), LP64 layout: the fields this transport reads after a command. The
/// struct continues (mem, ptr, itt, cmdsn, lun, iovectors) but is only ever read through a
/// pointer libiscsi allocated, so the tail need not be declared. The layout test pins the
/// offsets compiled from that header with offsetof() on x86-64: status 0, residual_status 32,
/// residual 40, sense 48, datain 64 (size) and 72 (data).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ScsiTaskHead
{
    /// <summary>SAM status, or libiscsi's own SCSI_STATUS_CANCELLED/ERROR/TIMEOUT (0x0f00000x).</summary>
    public int Status;

    public int CdbSize;

    public int XferDir;

    public int ExpXferLen;

    public fixed byte Cdb[16];

    /// <summary>enum scsi_residual: 0 none, 1 underflow, 2 overflow.</summary>
    public int ResidualStatus;

    public nuint Residual;

    /// <summary>struct scsi_sense: libiscsi's decoded sense (16 bytes); we decode the raw bytes ourselves.</summary>
    public fixed byte DecodedSense[16];

    /// <summary>struct scsi_data datain.size: after CHECK CONDITION, the SCSI Response's data segment.</summary>
    public int DataInSize;

    /// <summary>struct scsi_data datain.data: a 2-byte big-endian SenseLength, then the sense bytes (RFC 7143, 11.4.7.2).</summary>
    public byte* DataInData;
}

/// <summary><c>struct iscsi_data</c> (iscsi.h): a data-out buffer for iscsi_scsi_command_sync.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IscsiData
{
    public nuint Size;

    public byte* Data;
}

/// <summary>libiscsi's C API (iscsi.h), from the shared library of the Debian package libiscsi7.</summary>
internal static unsafe partial class IscsiNative
{
    public const string Library = "libiscsi.so.7";

    public const int XferNone = 0;
    public const int XferRead = 1;
    public const int XferWrite = 2;

    public const int SessionNormal = 2;

    public const int ResidualUnderflow = 1;

    public const int StatusCancelled = 0x0f000000;
    public const int StatusError = 0x0f000001;
    public const int StatusTimeout = 0x0f000002;

    [LibraryImport(Library, EntryPoint = "iscsi_create_context", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint CreateContext(string initiatorName);

    [LibraryImport(Library, EntryPoint = "iscsi_destroy_context")]
    public static partial int DestroyContext(nint context);

    [LibraryImport(Library, EntryPoint = "iscsi_set_targetname", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetTargetName(nint context, string targetName);

    [LibraryImport(Library, EntryPoint = "iscsi_set_session_type")]
    public static partial int SetSessionType(nint context, int sessionType);

    [LibraryImport(Library, EntryPoint = "iscsi_set_initiator_username_pwd", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetInitiatorUsernamePassword(nint context, string user, string password);

    [LibraryImport(Library, EntryPoint = "iscsi_set_timeout")]
    public static partial int SetTimeout(nint context, int seconds);

    [LibraryImport(Library, EntryPoint = "iscsi_set_noautoreconnect")]
    public static partial void SetNoAutoReconnect(nint context, int noAutoReconnect);

    [LibraryImport(Library, EntryPoint = "iscsi_full_connect_sync", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FullConnectSync(nint context, string portal, int lun);

    [LibraryImport(Library, EntryPoint = "iscsi_logout_sync")]
    public static partial int LogoutSync(nint context);

    [LibraryImport(Library, EntryPoint = "iscsi_get_error")]
    public static partial nint GetError(nint context);

    [LibraryImport(Library, EntryPoint = "scsi_create_task")]
    public static partial ScsiTaskHead* CreateTask(int cdbSize, byte* cdb, int xferDir, int expectedTransferLength);

    [LibraryImport(Library, EntryPoint = "scsi_task_add_data_in_buffer")]
    public static partial int AddDataInBuffer(ScsiTaskHead* task, int length, byte* buffer);

    [LibraryImport(Library, EntryPoint = "iscsi_scsi_command_sync")]
    public static partial ScsiTaskHead* ScsiCommandSync(nint context, int lun, ScsiTaskHead* task, IscsiData* dataOut);

    [LibraryImport(Library, EntryPoint = "scsi_free_scsi_task")]
    public static partial void FreeTask(ScsiTaskHead* task);

    public static string ErrorOf(nint context)
    {
        var text = context == 0 ? 0 : GetError(context);
        return text == 0 ? "no detail from libiscsi" : Marshal.PtrToStringUTF8(text) ?? "no detail from libiscsi";
    }
}
