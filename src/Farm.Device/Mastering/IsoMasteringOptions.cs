namespace Farm.Device.Mastering;

/// <summary>How <see cref="IsoImagePlan.Create(string, IsoMasteringOptions)"/> masters a folder.</summary>
public sealed record IsoMasteringOptions
{
    public static IsoMasteringOptions Default { get; } = new();

    /// <summary>
    /// The volume label. The primary descriptor gets its d-character form (upper-cased, other
    /// characters '_', at most 32); the Joliet descriptor the first 16 characters as they are.
    /// Null: the folder's name.
    /// </summary>
    public string? VolumeId { get; init; }

    /// <summary>
    /// The volume's creation and modification time (ECMA-119 8.4.26-27). Null: the newest
    /// modification time in the tree, so that the same folder always gives the same image.
    /// </summary>
    public DateTimeOffset? VolumeCreated { get; init; }

    /// <summary>Blocks the medium holds; a larger image is refused when it is planned. Null: no limit.</summary>
    public long? CapacityBlocks { get; init; }

    /// <summary>
    /// ECMA-119 10: 1 (8.3 names), 2 (names up to 30 characters) or 3 (level 2 names, and files
    /// of 4 GiB or more recorded in several extents; readers without multi-extent support see
    /// only those files wrong). Levels 1 and 2 refuse a file over 4 GiB - 1.
    /// </summary>
    public int InterchangeLevel { get; init; } = 3;
}
