namespace Farm.Device.Errors;

/// <summary>
/// An IMAPI / IMAPI2 result code: its name as Microsoft spells it, its HRESULT value and the
/// sentence Microsoft documents for it (seeds 001, 002 and 004 in ../shared/seeds).
/// </summary>
public sealed record ImapiError(string Name, uint HResult, string Description)
{
    /// <summary>Success codes (S_*) have the severity bit clear.</summary>
    public bool IsSuccess => (HResult & 0x8000_0000u) == 0;

    public override string ToString() => $"{Name} (0x{HResult:X8})";
}
