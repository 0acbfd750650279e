namespace Farm.Device.Mmc;

/// <summary>MMC profile numbers (MMC-6, "Profile List").</summary>
public enum Profile : ushort
{
    None = 0x0000,
    CdRom = 0x0008,
    CdR = 0x0009,
    CdRw = 0x000A,
    DvdRom = 0x0010,
    DvdRSequential = 0x0011,
    DvdRam = 0x0012,
    DvdRwRestrictedOverwrite = 0x0013,
    DvdRwSequential = 0x0014,
    DvdRDualLayerSequential = 0x0015,
    DvdPlusRw = 0x001A,
    DvdPlusR = 0x001B,
    DvdPlusRDualLayer = 0x002B,
    BdRom = 0x0040,
    BdRSequential = 0x0041,
    BdRRandom = 0x0042,
    BdRe = 0x0043,
}

/// <summary>Which write strategy a profile needs; the write path branches on this, not on profiles.</summary>
public enum MediaFamily
{
    Cd = 0,
    Dvd = 1,
    Bd = 2,
}

/// <summary>
/// What the farm knows about a medium: its MMC profile, its user capacity in 2048-byte blocks
/// (the figures real blank media report in READ TRACK INFORMATION free blocks / READ CAPACITY),
/// how a 1x speed is defined for the family, and whether it can be written again.
/// </summary>
public sealed record ProfileInfo(
    Profile Profile,
    string Name,
    MediaFamily Family,
    long CapacityBlocks,
    bool Rewritable,
    bool SequentialOnly,
    int OneXBytesPerSecond,
    int MaxSpeedX)
{
    /// <summary>The WRITE size that real drives stream best: 32 KiB on CD/DVD, 64 KiB on BD (libburn, growisofs).</summary>
    public int PreferredChunkBytes => Family == MediaFamily.Bd ? 64 * 1024 : 32 * 1024;

    public long CapacityBytes => CapacityBlocks * 2048;
}

/// <summary>
/// The profile table. Capacities are those of common blank media (ECMA-349 DVD+R 4.7 GB,
/// ECMA-364 DVD+R DL, ECMA-359 DVD-R, BD-R/RE 25 GB single layer, CD-R 80 min); 1x is
/// 176,400 B/s for CD (audio rate; 153,600 B/s of Mode-1 user data), 1,385,000 B/s for DVD and
/// 4,495,500 B/s for BD.
/// </summary>
public static class Profiles
{
    private const int CdOneX = 153_600;
    private const int DvdOneX = 1_385_000;
    private const int BdOneX = 4_495_500;

    public static readonly IReadOnlyList<ProfileInfo> All =
    [
        new(Profile.CdR, "CD-R", MediaFamily.Cd, 359_847, Rewritable: false, SequentialOnly: true, CdOneX, 52),
        new(Profile.CdRw, "CD-RW", MediaFamily.Cd, 359_847, Rewritable: true, SequentialOnly: true, CdOneX, 32),
        new(Profile.DvdRSequential, "DVD-R", MediaFamily.Dvd, 2_298_496, Rewritable: false, SequentialOnly: true, DvdOneX, 16),
        new(Profile.DvdRwSequential, "DVD-RW", MediaFamily.Dvd, 2_297_888, Rewritable: true, SequentialOnly: true, DvdOneX, 6),
        new(Profile.DvdRwRestrictedOverwrite, "DVD-RW-RO", MediaFamily.Dvd, 2_297_888, Rewritable: true, SequentialOnly: false, DvdOneX, 6),
        new(Profile.DvdPlusR, "DVD+R", MediaFamily.Dvd, 2_295_104, Rewritable: false, SequentialOnly: true, DvdOneX, 16),
        new(Profile.DvdPlusRDualLayer, "DVD+R-DL", MediaFamily.Dvd, 4_173_824, Rewritable: false, SequentialOnly: true, DvdOneX, 8),
        new(Profile.DvdPlusRw, "DVD+RW", MediaFamily.Dvd, 2_295_104, Rewritable: true, SequentialOnly: false, DvdOneX, 8),
        new(Profile.DvdRam, "DVD-RAM", MediaFamily.Dvd, 2_236_704, Rewritable: true, SequentialOnly: false, DvdOneX, 5),
        new(Profile.BdRSequential, "BD-R", MediaFamily.Bd, 12_219_392, Rewritable: false, SequentialOnly: true, BdOneX, 16),
        new(Profile.BdRe, "BD-RE", MediaFamily.Bd, 11_826_176, Rewritable: true, SequentialOnly: false, BdOneX, 2),
    ];

    public static ProfileInfo Get(Profile profile) =>
        All.FirstOrDefault(p => p.Profile == profile)
        ?? throw new ArgumentOutOfRangeException(nameof(profile), profile, "no writable profile with that number");

    /// <summary>Looks a profile up by its name ("DVD+R", "bd-r"), for options and job files.</summary>
    public static bool TryParse(string name, out ProfileInfo info)
    {
        info = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))!;
        return info is not null;
    }

    /// <summary>The names accepted by <see cref="TryParse"/>, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(p => p.Name));
}
