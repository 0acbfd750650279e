using System.Globalization;
using Farm.Device.Sense;
using Farm.Device.Transports;
using Farm.Messages;

namespace Farm.Device.Errors;

/// <summary>
/// Turns what a device said (sense bytes, a transport failure, a malformed answer) into a
/// <see cref="DeviceError"/>. Every message starts with the command's name.
/// </summary>
public static class DeviceErrors
{
    /// <summary>
    /// Sense bytes of a CHECK CONDITION -> error, through <see cref="SenseParser"/> and
    /// <see cref="SenseTable"/>. Sense that does not parse is E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE;
    /// sense that parses but no row matches is E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE. Both fail the disc.
    /// </summary>
    public static DeviceError FromSense(ReadOnlySpan<byte> sense, string command)
    {
        if (!SenseParser.TryParse(sense, out var decoded, out var problem))
        {
            return Of(
                ImapiErrors.RecorderInvalidResponseFromDevice,
                Disposition.FailDisc,
                $"{command}: unreadable sense data, {problem}: {Hex.Dump(sense)}");
        }

        var where = Where(decoded);
        return SenseTable.Lookup(decoded) is { } row
            ? new DeviceError(row.Error, row.Disposition, $"{command}: {row.Text} [sense {where}]", decoded)
            : new DeviceError(
                ImapiErrors.UnexpectedResponseFromDevice,
                Disposition.FailDisc,
                $"{command}: sense not in the table ({AdditionalSenseCodes.Describe(decoded.Asc, decoded.Ascq)}) [sense {where}]: {Hex.Dump(decoded.Raw)}",
                decoded);
    }

    /// <summary>A command that produced no SCSI status at all.</summary>
    public static DeviceError FromTransport(ScsiTransportException exception, string command)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (error, disposition, what) = exception.Failure switch
        {
            TransportFailure.Timeout => (ImapiErrors.RecorderCommandTimeout, Disposition.DriveToMaintenance, "the drive did not answer in time"),
            TransportFailure.DeviceGone => (ImapiErrors.DeviceNotExist, Disposition.DriveToMaintenance, "the device is gone"),
            TransportFailure.AccessDenied => (ImapiErrors.RecorderLocked, Disposition.NeedsOperator, "access to the device was refused (locked by another program?)"),
            _ => (ImapiErrors.Fail, Disposition.DriveToMaintenance, "the host adapter or driver failed"),
        };
        return Of(error, disposition, $"{command}: {what}: {exception.Message}");
    }

    /// <summary>
    /// A device answer (a data-in buffer) that is truncated, garbled or contradicts itself:
    /// E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE with what was wrong and the bytes (at most
    /// the first 64, and the length).
    /// </summary>
    public static DeviceError InvalidResponse(string command, ReadOnlySpan<byte> raw, string what) =>
        Of(ImapiErrors.RecorderInvalidResponseFromDevice, Disposition.FailDisc, $"{command}: {what}: {Hex.Dump(raw)}");

    /// <summary>An error decided by the caller (a size check, a cancel, a lock).</summary>
    public static DeviceError Of(ImapiError error, Disposition disposition, string message) => new(error, disposition, message, null);

    private static string Where(SenseData sense)
    {
        var where = sense.Code;
        if (sense.IsDeferred)
        {
            where += ", deferred";
        }

        if (sense.Information is { } information)
        {
            where += string.Create(CultureInfo.InvariantCulture, $", information {information}");
        }

        if (sense.ProgressFraction is { } fraction)
        {
            where += string.Create(CultureInfo.InvariantCulture, $", progress {fraction:P0}");
        }

        return where;
    }
}
