using Farm.Device.Mmc;
using Farm.Device.Writing;
using Farm.Messages.Drives;

namespace Farm.Node.Recording;

/// <summary>
/// A burn's write speed over its LBA, from every progress report of the writer: one point per
/// stretch of at least <see cref="MinStretch"/> or <see cref="MinSectors"/> (the speed over it, in
/// the writer's own clock: a burn in accelerated time takes little real time but still gets its
/// points from the sectors it wrote), at
/// most <see cref="SpeedPoint.MaxPerCurve"/>: when full, every other point goes (the first and last stay) and
/// the stretches double, so memory and the event that carries the curve stay small on any disc.
/// </summary>
internal sealed class SpeedCurveRecorder
{
    private const long MinSectors = 512; // 1 MiB
    private static readonly TimeSpan MinStretch = TimeSpan.FromMilliseconds(250);

    private readonly List<SpeedPoint> _points = [];
    private TimeSpan _stretch = MinStretch;
    private long _sectorStretch = MinSectors;
    private (TimeSpan Elapsed, long Sectors)? _mark;

    public IReadOnlyList<SpeedPoint> Points => [.. _points];

    public void Add(WriteProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_mark is not { } last)
        {
            _mark = (value.Elapsed, value.SectorsWritten);
            return;
        }

        var span = value.Elapsed - last.Elapsed;
        var sectors = value.SectorsWritten - last.Sectors;
        if ((span < _stretch && sectors < _sectorStretch) || sectors <= 0 || span <= TimeSpan.Zero)
        {
            return;
        }

        _points.Add(new SpeedPoint(value.LastWrittenLba, sectors * (double)MmcDrive.BlockSize / span.TotalSeconds));
        _mark = (value.Elapsed, value.SectorsWritten);
        if (_points.Count > SpeedPoint.MaxPerCurve)
        {
            for (var i = _points.Count - 2; i > 0; i -= 2)
            {
                _points.RemoveAt(i);
            }

            _stretch *= 2;
            _sectorStretch *= 2;
        }
    }
}
