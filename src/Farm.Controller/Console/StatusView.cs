using Farm.Messages.Views;
using Farm.Controller.Scheduling;

namespace Farm.Controller.OperatorConsole;

/// <summary>What the console shows, flattened from <see cref="FarmState"/> for JSON.</summary>
public sealed record StatusView(
    IReadOnlyList<StatusView.Drive> Drives,
    IReadOnlyList<StatusView.Job> Jobs,
    IReadOnlyList<StatusView.Tower> Towers,
    long Ordering)
{
    public sealed record Drive(string Id, string Tower, string Node, string Product, string State, string Phase, string? Job, int Copy, int Attempt, double Percent, double MegabytesPerSecond, string? LastError);

    public sealed record Job(string Id, string Image, int Copies, int Verified, int Rejected, int InFlight, string Status, string? Why);

    public sealed record Tower(string Id, int InputBlanks, string MediaType, int Output, int Reject, string? Alert);

    public static StatusView From(FarmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new StatusView(
            [.. state.Drives.Values.Select(d => new Drive(
                d.DriveId, d.TowerId, d.NodeId, d.Product, d.Status.ToString(), d.Phase, d.JobId, d.Copy, d.Attempt,
                d.TotalBlocks > 0 ? Math.Round(100.0 * Math.Max(0, d.LastWrittenLba + 1) / d.TotalBlocks, 1) : 0,
                Math.Round(d.BytesPerSecond / 1_000_000, 2),
                d.LastError))],
            [.. state.Jobs.Values.OrderByDescending(j => j.SubmittedAt).Select(j => new Job(
                j.JobId, Path.GetFileName(j.ImagePath), j.Copies, j.Verified, j.Rejected, j.InFlight, j.Status.ToString(), j.Why))],
            [.. state.Towers.Values.Select(t => new Tower(t.TowerId, t.InputBlanks, t.InputMediaType, t.Output, t.Reject, t.Alert))],
            state.LastOrdering);
    }
}
