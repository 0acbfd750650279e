namespace Farm.Messages;

/// <summary>
/// Why a disc or a command failed, in the IMAPI2 vocabulary: the error's name (e.g.
/// <c>E_IMAPI_LOSS_OF_STREAMING</c>), its HRESULT value, what the farm does about it, and a
/// sentence for the operator.
/// </summary>
public sealed record FailureReason(string ImapiName, uint HResult, Disposition Disposition, string Message)
{
    public override string ToString() => $"{ImapiName} (0x{HResult:X8}): {Message}";
}
