namespace Farm.Device.Towers;

/// <summary>A range of storage element addresses, both ends included.</summary>
public readonly record struct SlotRange(ushort First, ushort Last)
{
    public bool Contains(ushort address) => address >= First && address <= Last;

    public bool Overlaps(SlotRange other) => First <= other.Last && other.First <= Last;

    public override string ToString() => First == Last ? $"slot {First}" : $"slots {First}-{Last}";
}

/// <summary>
/// How a SCSI media changer's elements serve as a disc tower: which storage slots are the input
/// (blanks), output and reject bins, and which data transfer element is which farm drive. SMC
/// has no notion of bins; this configuration gives it one.
/// </summary>
public sealed record SmcTowerLayout(
    string TowerId,
    IReadOnlyDictionary<string, ushort> Drives,
    SlotRange Input,
    SlotRange Output,
    SlotRange Reject,
    string InputMediaType)
{
    /// <summary>The arm's element address; null takes the first medium transport element the changer reports.</summary>
    public ushort? TransportElement { get; init; }

    public SmcTowerLayout Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(TowerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(InputMediaType);
        if (Drives is null || Drives.Count == 0)
        {
            throw new ArgumentException($"tower {TowerId}: the layout names no drives");
        }

        foreach (var range in new[] { Input, Output, Reject })
        {
            if (range.First > range.Last)
            {
                throw new ArgumentException($"tower {TowerId}: the range {range.First}-{range.Last} is backwards");
            }
        }

        if (Input.Overlaps(Output) || Input.Overlaps(Reject) || Output.Overlaps(Reject))
        {
            throw new ArgumentException($"tower {TowerId}: input ({Input}), output ({Output}) and reject ({Reject}) must not share slots");
        }

        return this;
    }
}
