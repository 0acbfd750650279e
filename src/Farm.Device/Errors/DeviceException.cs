using Farm.Messages;

namespace Farm.Device.Errors;

/// <summary>
/// Thrown where a device error cannot be returned (deep in a write loop); it carries the decided
/// <see cref="DeviceError"/> so no catcher has to interpret anything again.
/// </summary>
public sealed class DeviceException : Exception
{
    public DeviceException(DeviceError error, Exception? innerException = null)
        : base(error.ToString(), innerException) => Error = error;

    // The standard constructors (CA1032). Without a decided error the failure is unspecified:
    // E_FAIL, and the disc is not trusted.
    public DeviceException() : this("unspecified device failure") { }

    public DeviceException(string message) : this(message, null) { }

    public DeviceException(string message, Exception? innerException)
        : this(DeviceErrors.Of(ImapiErrors.Fail, Disposition.FailDisc, message), innerException) { }

    public DeviceError Error { get; }
}
