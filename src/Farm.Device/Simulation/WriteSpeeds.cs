using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>One write speed the drive offers for a medium: a multiple of the medium's 1x and how the disc spins.</summary>
/// <param name="SpeedX">Multiple of 1x (at the outer edge for CAV).</param>
/// <param name="Rotation">CLV (the same linear speed everywhere) or CAV (the speed grows with the radius).</param>
internal sealed record WriteSpeed(double SpeedX, RotationControl Rotation);

/// <summary>
/// The write speeds of the simulated drive per medium and the physics of CLV and CAV recording.
/// Speeds in MMC are kB/s with 1 kB = 1000 bytes; 1x is 176.4 kB/s on CD (the audio rate; Mode 1
/// user data moves at 153.6 kB/s), 1385 kB/s on DVD and 4495.5 kB/s on BD (MMC-6 GET PERFORMANCE
/// "Write Speed Descriptor", SET CD SPEED).
/// </summary>
internal static class WriteSpeeds
{
    // Program area radii (mm): CD from 25 mm, DVD and BD data from 24 mm, all to 58 mm.
    private const double OuterRadius = 58.0;

    private static readonly double[] CdLadder = [52, 48, 40, 32, 24, 16, 10, 4];
    private static readonly double[] DvdLadder = [16, 12, 8, 6, 5, 4, 3, 2.4, 2];
    private static readonly double[] BdLadder = [16, 12, 8, 6, 4, 2, 1];

    /// <summary>kB/s of 1x for the family.</summary>
    public static double OneXKBps(MediaFamily family) => family switch
    {
        MediaFamily.Cd => 176.4,
        MediaFamily.Dvd => 1385,
        _ => 4495.5,
    };

    public static uint KBps(MediaFamily family, double speedX) => (uint)Math.Round(speedX * OneXKBps(family));

    /// <summary>
    /// The speeds offered for <paramref name="medium"/>, fastest first: the family's usual ladder up
    /// to the medium's rating, each as CLV, and the top speed also as CAV (drives reach their
    /// rated speed on the outer edge only). <paramref name="configured"/> (a test setting) is the
    /// fastest speed offered.
    /// </summary>
    public static IReadOnlyList<WriteSpeed> For(ProfileInfo medium, double? configured)
    {
        double[] ladder = medium.Family switch
        {
            MediaFamily.Cd => CdLadder,
            MediaFamily.Dvd => DvdLadder,
            _ => BdLadder,
        };
        // A configured speed is the drive's top speed for this medium (a slow drive, or a test
        // that needs a burn to last): asking for "max" must not outrun it.
        var top = configured ?? medium.MaxSpeedX;
        var speeds = ladder.Where(x => x <= Math.Min(top, medium.MaxSpeedX)).Append(top);

        var distinct = speeds.Distinct().OrderDescending().ToList();
        return [new WriteSpeed(distinct[0], RotationControl.ConstantAngularVelocity), .. distinct.Select(x => new WriteSpeed(x, RotationControl.ConstantLinearVelocity))];
    }

    /// <summary>
    /// The offered speed nearest to <paramref name="requestedKBps"/> (ties go to the slower one),
    /// preferring the requested rotation; FFFFh (or anything above the top) is the fastest.
    /// </summary>
    public static WriteSpeed Nearest(ProfileInfo medium, IReadOnlyList<WriteSpeed> offered, uint requestedKBps, RotationControl rotation)
    {
        var candidates = offered.Where(s => s.Rotation == rotation).ToList();
        if (candidates.Count == 0)
        {
            candidates = [.. offered];
        }

        return candidates
            .OrderBy(s => Math.Abs(KBps(medium.Family, s.SpeedX) - (double)requestedKBps))
            .ThenBy(s => s.SpeedX)
            .First();
    }

    /// <summary>
    /// The speed (as a multiple of 1x) at <paramref name="lba"/>: constant for CLV; for CAV
    /// proportional to the radius, where the area from the inner radius grows linearly with the
    /// LBA: r = sqrt(r0² + (R² - r0²) x lba / capacity), speed = top x r / R.
    /// </summary>
    public static double SpeedXAt(ProfileInfo medium, WriteSpeed speed, long lba, long capacity)
    {
        if (speed.Rotation != RotationControl.ConstantAngularVelocity || capacity <= 0)
        {
            return speed.SpeedX;
        }

        double inner = medium.Family == MediaFamily.Cd ? 25.0 : 24.0;
        double fraction = Math.Clamp(lba / (double)capacity, 0, 1);
        double radius = Math.Sqrt((inner * inner) + (((OuterRadius * OuterRadius) - (inner * inner)) * fraction));
        return speed.SpeedX * radius / OuterRadius;
    }
}
