using Farm.Messages.Views;

namespace Farm.Controller.Api;

/// <summary>A drive as <c>GET /api/drives</c> and the <c>drive</c> events show it.</summary>
/// <param name="State">idle, busy, paused, maintenance or offline.</param>
/// <param name="Lba">The last block written of the burn in progress (-1 before the first).</param>
/// <param name="Mbps">The drive's write speed now, in MB/s (10^6 bytes).</param>
/// <param name="BufferPercent">The drive's own buffer fill while it writes (null when the drive has not said).</param>
/// <param name="FifoPercent">The host FIFO's fill that feeds the drive while it writes.</param>
public sealed record DriveSummary(
    string Id, string Node, string Tower, string Product, string State, string Phase, string? Job, int Copy, int Attempt,
    long Lba, long TotalBlocks, double Percent, double Mbps, double? BufferPercent, double? FifoPercent, string? LastError, int Failures)
{
    public static DriveSummary From(DriveView d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var busy = d.Status == DriveStatus.Busy;
        return new DriveSummary(
            d.DriveId, d.NodeId, d.TowerId, d.Product, d.Status.ToString().ToLowerInvariant(), d.Phase, d.JobId, d.Copy, d.Attempt,
            d.LastWrittenLba, d.TotalBlocks,
            d.TotalBlocks > 0 && busy ? Math.Round(100.0 * Math.Clamp(d.LastWrittenLba + 1, 0, d.TotalBlocks) / d.TotalBlocks, 1) : 0,
            Math.Round(d.BytesPerSecond / 1_000_000, 2),
            busy && d.DriveBufferFill is { } buffer ? Math.Round(100 * buffer, 1) : null,
            busy ? Math.Round(100 * d.FifoFill, 1) : null,
            d.LastError, d.Failures);
    }
}

/// <summary>A tower's bins as <c>GET /api/towers</c> and the <c>tower</c> events show them.</summary>
/// <param name="Input">Blanks in the input bin.</param>
/// <param name="Alert">The tower's standing alert, if any.</param>
public sealed record TowerSummary(string Id, string? Node, int Input, string InputMedia, int Output, int Reject, string? Alert)
{
    /// <summary>The tower prints disc labels (labelled jobs go only to such towers).</summary>
    public bool CanPrintLabels { get; init; }

    public static TowerSummary From(TowerView tower, FarmState state)
    {
        ArgumentNullException.ThrowIfNull(tower);
        ArgumentNullException.ThrowIfNull(state);
        var node = state.Drives.Values.FirstOrDefault(d => d.TowerId == tower.TowerId)?.NodeId;
        return new TowerSummary(tower.TowerId, node, tower.InputBlanks, tower.InputMediaType, tower.Output, tower.Reject, tower.Alert) { CanPrintLabels = tower.CanPrintLabels };
    }
}

/// <summary>The answer to a drive, tower or alert action: what the controller did with it.</summary>
public sealed record ActionView(string Subject, string Action, string Recorded);
