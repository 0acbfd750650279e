using Farm.Device.Sense;
using Farm.Messages;

namespace Farm.Device.Errors;

/// <summary>
/// One row of <see cref="SenseTable"/>: a sense pattern, the IMAPI code and disposition it means,
/// a short text for the operator and the spec the row comes from. A null
/// <see cref="Asc"/> or <see cref="Ascq"/> matches any value.
/// </summary>
public sealed record SenseTableRow(
    SenseKey Key,
    byte? Asc,
    byte? Ascq,
    ImapiError Error,
    Disposition Disposition,
    string Text,
    string Spec)
{
    /// <summary>2 for key/ASC/ASCQ, 1 for key/ASC, 0 for key only: the most specific match wins.</summary>
    public int Specificity => (Asc is null ? 0 : 1) + (Ascq is null ? 0 : 1);

    public bool Matches(SenseKey key, byte asc, byte ascq) =>
        Key == key && (Asc is null || Asc == asc) && (Ascq is null || Ascq == ascq);

    /// <summary>The pattern as the tables print it, "xx" for any: "2/3A/xx".</summary>
    public string Pattern => $"{(byte)Key:X}/{Asc?.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) ?? "xx"}/{Ascq?.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) ?? "xx"}";
}
