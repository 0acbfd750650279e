namespace Farm.Device.Sense;

/// <summary>
/// One decoded sense report (SPC-4 4.5). Built only by <see cref="SenseParser"/> from device
/// bytes or by tests; <see cref="Raw"/> keeps the bytes the fields were read from (up to the
/// additional sense length), so an operator message can always show what the drive said.
/// </summary>
/// <param name="Format">Fixed or descriptor layout.</param>
/// <param name="IsDeferred">
/// True for a deferred error (71h/73h): it belongs to an earlier command, typically a WRITE the
/// drive had buffered and failed to record, so it is reported on a later command.
/// </param>
/// <param name="Key">The sense key.</param>
/// <param name="Asc">The additional sense code.</param>
/// <param name="Ascq">The additional sense code qualifier.</param>
/// <param name="Information">The INFORMATION field (usually an LBA) when the device marked it valid.</param>
/// <param name="Progress">
/// The progress indication, a fraction of 65536, when the device reports one (sense-key-specific
/// field with SKSV set for NOT READY / NO SENSE, or a progress indication descriptor).
/// </param>
/// <param name="Raw">The sense bytes the fields were decoded from.</param>
public readonly record struct SenseData(
    SenseFormat Format,
    bool IsDeferred,
    SenseKey Key,
    byte Asc,
    byte Ascq,
    uint? Information,
    ushort? Progress,
    byte[] Raw)
{
    /// <summary>The bytes the fields were decoded from; never null, even for <c>default</c>.</summary>
    public byte[] Raw { get => field ?? []; init => field = value; } = Raw;

    /// <summary>True when the error belongs to the command that reported it.</summary>
    public bool IsCurrent => !IsDeferred;

    /// <summary>The progress indication as a fraction in [0, 1), when reported.</summary>
    public double? ProgressFraction => Progress is { } progress ? progress / 65536.0 : null;

    /// <summary>Key/ASC/ASCQ as drives and the MMC tables print them, e.g. "2/04/08".</summary>
    public string Code => $"{(byte)Key:X}/{Asc:X2}/{Ascq:X2}";

    /// <summary>Equal when every field and every raw byte are equal (value semantics for the array too).</summary>
    public bool Equals(SenseData other) =>
        Format == other.Format
        && IsDeferred == other.IsDeferred
        && Key == other.Key
        && Asc == other.Asc
        && Ascq == other.Ascq
        && Information == other.Information
        && Progress == other.Progress
        && Raw.AsSpan().SequenceEqual(other.Raw);

    public override int GetHashCode() => HashCode.Combine(Format, IsDeferred, Key, Asc, Ascq, Information, Progress, Raw.Length);

    /// <summary>E.g. "2/04/08 (LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS)".</summary>
    public override string ToString() => $"{Code} ({AdditionalSenseCodes.Describe(Asc, Ascq)})";
}
