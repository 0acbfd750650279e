using Farm.Device.Mastering;

namespace Farm.Controller.Mastering;

/// <summary>
/// The file system options of <c>farm master</c> (<c>--filesystem iso-joliet|udf|bridge</c>,
/// <c>--udf</c>, <c>--udf-revision</c>) made into one plan. Options that contradict each other
/// are refused with an <see cref="ArgumentException"/> that says which and what to write instead.
/// </summary>
internal sealed record FileSystemChoice(string? FileSystem, bool Udf, string? Revision, string? VolumeId)
{
    public const string IsoJoliet = "iso-joliet";
    public const string UdfOnly = "udf";
    public const string Bridge = "bridge";

    /// <summary>The file system asked for: --filesystem, else udf for --udf or --udf-revision, else ISO 9660 + Joliet.</summary>
    public string Resolve()
    {
        if (FileSystem is not (null or IsoJoliet or UdfOnly or Bridge))
        {
            throw new ArgumentException($"--filesystem '{FileSystem}' is not known; use {IsoJoliet}, {UdfOnly} or {Bridge}");
        }

        if (Udf && FileSystem is IsoJoliet or Bridge)
        {
            throw new ArgumentException($"--udf masters UDF alone and contradicts --filesystem {FileSystem}; give one of them");
        }

        var chosen = FileSystem ?? (Udf || Revision is not null ? UdfOnly : IsoJoliet);
        if (Revision is not null && chosen == IsoJoliet)
        {
            throw new ArgumentException("--udf-revision applies to UDF; add --udf or --filesystem udf|bridge, or drop it");
        }

        return chosen;
    }

    public ImagePlan Plan(string folder)
    {
        var chosen = Resolve();
        if (chosen == IsoJoliet)
        {
            return IsoImagePlan.Create(folder, new IsoMasteringOptions { VolumeId = VolumeId });
        }

        var revision = Revision is null ? UdfRevision.V102 : UdfMasteringOptions.ParseRevision(Revision)
            ?? throw new ArgumentException($"--udf-revision '{Revision}' is not one this build writes; use 1.02, 2.01 or 2.50");
        return UdfImagePlan.Create(folder, new UdfMasteringOptions { Revision = revision, Bridge = chosen == Bridge, VolumeId = VolumeId });
    }
}
