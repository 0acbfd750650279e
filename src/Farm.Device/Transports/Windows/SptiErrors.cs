namespace Farm.Device.Transports.Windows;

/// <summary>Win32 errors of CreateFile and DeviceIoControl, explained for an operator.</summary>
internal static class SptiErrors
{
    public static ScsiTransportException ForOpen(int error, string device) => error switch
    {
        Win32Errors.ErrorAccessDenied => new ScsiTransportException(
            TransportFailure.AccessDenied,
            $"{device}: access denied. SCSI pass-through needs an administrator (run the farm node as a service account in the Administrators group, or elevated)"),
        Win32Errors.ErrorSharingViolation => new ScsiTransportException(
            TransportFailure.AccessDenied, $"{device}: in use by another program that opened it without sharing"),
        Win32Errors.ErrorFileNotFound or Win32Errors.ErrorPathNotFound or Win32Errors.ErrorDeviceNotConnected or Win32Errors.ErrorNoSuchDevice => new ScsiTransportException(
            TransportFailure.DeviceGone, $"{device}: no such device (drives are \\\\.\\CdRom0, \\\\.\\CdRom1...; is the drive connected?)"),
        _ => new ScsiTransportException(TransportFailure.HostError, $"{device}: cannot open: Win32 error {error}"),
    };

    public static ScsiTransportException ForIoctl(int error, string device, string what) => error switch
    {
        Win32Errors.ErrorSemTimeout => new ScsiTransportException(TransportFailure.Timeout, $"{device}: {what} timed out"),
        Win32Errors.ErrorAccessDenied => new ScsiTransportException(
            TransportFailure.AccessDenied, $"{device}: {what}: access denied (another program holds the drive's exclusive lock, or the process is not elevated)"),
        Win32Errors.ErrorDeviceNotConnected or Win32Errors.ErrorInvalidHandle or Win32Errors.ErrorFileNotFound or Win32Errors.ErrorNoSuchDevice => new ScsiTransportException(
            TransportFailure.DeviceGone, $"{device}: {what}: the drive is gone"),
        _ => new ScsiTransportException(TransportFailure.HostError, $"{device}: {what} failed: Win32 error {error}"),
    };

    /// <summary>
    /// The lock owner's name as the CD-ROM class driver accepts it: at most 63 characters
    /// (CDROM_EXCLUSIVE_CALLER_LENGTH 64 with the terminating NUL) of letters, digits, space,
    /// period, comma, colon, semicolon, hyphen and underscore (ntddcdrm.h documentation).
    /// </summary>
    public static bool IsValidCallerName(string name, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or >= CdromExclusiveLock.CallerLength)
        {
            problem = $"the exclusive-access caller name must be 1 to {CdromExclusiveLock.CallerLength - 1} characters, not {name.Length}";
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or ',' or ':' or ';' or '-' or '_'))
            {
                problem = $"the exclusive-access caller name may hold letters, digits, space and . , : ; - _ only, not '{c}'";
                return false;
            }
        }

        problem = null;
        return true;
    }
}
