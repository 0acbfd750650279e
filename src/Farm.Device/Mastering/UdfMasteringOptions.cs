using System.Globalization;

namespace Farm.Device.Mastering;

/// <summary>The OSTA UDF revisions the writer records, valued as the standard writes them (BCD, UDF 2.1.5.3).</summary>
public enum UdfRevision
{
    /// <summary>UDF 1.02 (NSR02): read by every UDF reader, the DVD-Video/ROM revision.</summary>
    V102 = 0x0102,

    /// <summary>UDF 2.01 (NSR03).</summary>
    V201 = 0x0201,

    /// <summary>UDF 2.50 (NSR03 with a metadata partition), the BD-ROM revision.</summary>
    V250 = 0x0250,
}

/// <summary>How <see cref="UdfImagePlan.Create(string, UdfMasteringOptions)"/> masters a folder.</summary>
public sealed record UdfMasteringOptions
{
    public static UdfMasteringOptions Default { get; } = new();

    public UdfRevision Revision { get; init; } = UdfRevision.V102;

    /// <summary>
    /// Also an ISO 9660 + Joliet tree over the same file data (the UDF bridge of DVD-Video and
    /// of readers without UDF): the ISO rules (names, depth) then apply too.
    /// </summary>
    public bool Bridge { get; init; }

    /// <summary>The volume label (the UDF logical volume and file set identifiers); null: the folder's name.</summary>
    public string? VolumeId { get; init; }

    /// <summary>The recording time of the volume's descriptors; null: the newest modification time in the tree.</summary>
    public DateTimeOffset? VolumeCreated { get; init; }

    /// <summary>Blocks the medium holds; a larger image is refused when it is planned. Null: no limit.</summary>
    public long? CapacityBlocks { get; init; }

    /// <summary>"1.02", "2.01" or "2.50" as the revision, or null for anything else.</summary>
    public static UdfRevision? ParseRevision(string text) => text switch
    {
        "1.02" => UdfRevision.V102,
        "2.01" => UdfRevision.V201,
        "2.50" => UdfRevision.V250,
        _ => null,
    };

    /// <summary>The revision as people write it ("2.01").</summary>
    public static string Describe(UdfRevision revision) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)revision >> 8:X}.{(int)revision & 0xFF:X2}");
}
