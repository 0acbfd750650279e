using Farm.Device.Writing;
using Farm.Messages.Drives;
using Farm.Node.Recording;

namespace Farm.Node.Tests.Recording;

public sealed class SpeedCurveRecorderTests
{
    private static WriteProgress At(long lastWrittenLba, TimeSpan elapsed) =>
        new(WriteAction.WritingData, 0, 1_000_000, lastWrittenLba, lastWrittenLba, 1, 0, elapsed);

    [Fact]
    public void A_burn_in_accelerated_time_still_gets_points_from_the_sectors_it_wrote()
    {
        var curve = new SpeedCurveRecorder();

        // 16 MiB written in 40 ms of the writer's clock: no stretch reaches 250 ms.
        for (var i = 0; i <= 16; i++)
        {
            curve.Add(At((i * 512) - 1, TimeSpan.FromMilliseconds(i * 2.5)));
        }

        Assert.True(curve.Points.Count >= 10, $"{curve.Points.Count} points");
        Assert.All(curve.Points, p => Assert.Equal(1024 * 1024 / 0.0025, p.BytesPerSecond, 1));
    }

    [Fact]
    public void A_long_burn_keeps_at_most_a_hundred_points_first_and_last_included()
    {
        var curve = new SpeedCurveRecorder();
        for (var i = 0; i <= 10_000; i++)
        {
            curve.Add(At((i * 512) - 1, TimeSpan.FromSeconds(i * 0.5)));
        }

        Assert.InRange(curve.Points.Count, 50, SpeedPoint.MaxPerCurve);
        Assert.Equal(511, curve.Points[0].Lba);
        Assert.True(curve.Points[^1].Lba > 4_000_000, $"last point at {curve.Points[^1].Lba}");
    }

    [Fact]
    public void Reports_without_new_sectors_or_time_add_no_point()
    {
        var curve = new SpeedCurveRecorder();
        curve.Add(At(1023, TimeSpan.FromSeconds(1)));
        curve.Add(At(1023, TimeSpan.FromSeconds(5))); // time, no sectors
        curve.Add(At(9999, TimeSpan.FromSeconds(1))); // sectors, no time

        Assert.Empty(curve.Points);
    }
}
