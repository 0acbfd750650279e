namespace Farm.Device.Transports.Windows;

/// <summary>The Win32 error codes (winerror.h) the SPTI transport tells apart; plain numbers, usable on every OS.</summary>
internal static class Win32Errors
{
    public const int ErrorFileNotFound = 2;
    public const int ErrorPathNotFound = 3;
    public const int ErrorAccessDenied = 5;
    public const int ErrorInvalidHandle = 6;
    public const int ErrorNotReady = 21;
    public const int ErrorSharingViolation = 32;
    public const int ErrorSemTimeout = 121;
    public const int ErrorIoDevice = 1117;
    public const int ErrorDeviceNotConnected = 1167;
    public const int ErrorNoSuchDevice = 433;
}
