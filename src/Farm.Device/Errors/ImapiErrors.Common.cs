namespace Farm.Device.Errors;

// COM and Win32 codes that the IMAPI2 pages list among their return values: seed 001
// (../shared/seeds/001_aa9f1ad034092e7d.txt) and seed 002 (002_70bd881f2823165b.txt); S_OK from
// the table of seed 004 (004_f725f3b374b0ef55.txt), which gives no value: 0 is its winerror.h value.
public static partial class ImapiErrors
{
    public static readonly ImapiError Ok = new("S_OK", 0x00000000, "The method was successful.");

    public static readonly ImapiError InvalidArgument = new("E_INVALIDARG", 0x80070057, "One or more arguments are not valid.");

    public static readonly ImapiError InvalidPointer = new("E_POINTER", 0x80004003, "Pointer is not valid.");

    public static readonly ImapiError Fail = new("E_FAIL", 0x80004005, "Unspecified failure.");

    public static readonly ImapiError OutOfMemory = new("E_OUTOFMEMORY", 0x8007000E, "Failed to allocate the required memory.");

    public static readonly ImapiError NotImplemented = new("E_NOTIMPL", 0x80004001, "Not implemented.");

    // Seed 001 prints "Value: 6", the Win32 error code; HRESULT_FROM_WIN32(6) is 0x80070006.
    public static readonly ImapiError InvalidHandle = new(
        "HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)", 0x80070006, "The specified handle is invalid.");

    // Seed 001 prints "Value: 55", the Win32 error code; HRESULT_FROM_WIN32(55) is 0x80070037.
    public static readonly ImapiError DeviceNotExist = new(
        "HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)", 0x80070037, "The specified network resource or device is no longer available.");
}
