using Farm.Device.Sense;
using Farm.Messages;

namespace Farm.Device.Errors;

/// <summary>
/// A failed device command, decided once: which IMAPI code it is, what the farm does about it,
/// a sentence for the operator (naming the command) and the sense it came from, if any.
/// </summary>
public sealed record DeviceError(ImapiError Error, Disposition Disposition, string Message, SenseData? Sense)
{
    /// <summary>The same failure in the vocabulary of Farm.Messages, for events and reports.</summary>
    public FailureReason ToFailureReason() => new(Error.Name, Error.HResult, Disposition, Message);

    /// <summary>E.g. "E_IMAPI_RECORDER_MEDIA_NO_MEDIA (0xC0AA0202): WRITE(10): there is no media in the device [sense 2/3A/00]".</summary>
    public override string ToString() => $"{Error}: {Message}";
}
