using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>A farm index written out in full, in a fixed order, so two indexes compare as text (and a difference reads as one).</summary>
internal static class FarmIndexText
{
    public static string Of(FarmIndex index) => string.Join(Environment.NewLine,
        $"lost nodes: {string.Join(" ", index.LostNodes)}",
        $"drives by node: {Map(index.DrivesByNode, ids => string.Join(" ", ids))}",
        $"idle: {string.Join(" ", index.IdleDrives.Select(k => $"{k.DriveId}({k.Failures})"))}",
        $"claimed by tower: {Map(index.ClaimedByTower, n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
        $"serviceable: {index.Serviceable}",
        $"busy by job: {Map(index.BusyByJob, n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
        $"failing: {string.Join(" ", index.FailingDrives)}",
        $"unaccepted by node: {Map(index.UnacceptedByNode, ids => string.Join(" ", ids))}",
        $"drives by tower: {Map(index.DrivesByTower, t => $"{t.Drives}/{t.InMaintenance}")}",
        $"outcomes: {Copies(index.Outcomes)}",
        $"assigned by drive: {Map(index.AssignedByDrive, Copies)}",
        $"aborts due: {Copies(index.AbortsDue)}",
        $"aborts requested: {Copies(index.AbortsRequested)}",
        $"tallies: {Map(index.Tallies, t => $"{t.Verified}/{t.InFlight}/{t.Pending}")}",
        $"pending: {Map(index.PendingCopies, c => string.Join(" ", c))}",
        $"active jobs: {string.Join(" ", index.ActiveJobs)}",
        $"queue: {string.Join(" ", index.Queue.Select(q => q.JobId))}");

    private static string Copies(IEnumerable<CopyKey> copies) => string.Join(" ", copies.Select(k => $"{k.JobId}#{k.Copy}"));

    private static string Map<T>(IEnumerable<KeyValuePair<string, T>> map, Func<T, string> value) =>
        string.Join("; ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {value(p.Value)}"));
}
