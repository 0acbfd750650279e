using Farm.Messages.Views;

namespace Farm.Controller.Scheduling;

/// <summary>
/// Labelled jobs and the towers that can print them (as each tower last reported,
/// <see cref="TowerView.CanPrintLabels"/>): a labelled copy goes only to a drive of a printing tower,
/// and a labelled job that no tower holding its media can print is refused at submit instead of
/// being burned without its labels.
/// </summary>
public static class LabelPrinters
{
    /// <summary>Whether <paramref name="drive"/> may take a copy of <paramref name="job"/>: any drive for a job without a label, else one whose tower prints.</summary>
    public static bool CanTake(FarmState state, JobState job, DriveView drive)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(drive);
        return job.Label is null || (state.Towers.TryGetValue(drive.TowerId, out var tower) && tower.CanPrintLabels);
    }

    /// <summary>
    /// Why a labelled job on <paramref name="mediaType"/> cannot have its labels printed, for the
    /// operator, or null: null too while no tower holds that media (the farm may be starting, and a
    /// job no tower can burn fails after the no-drive grace, saying why).
    /// </summary>
    public static string? Problem(FarmState state, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(state);
        var holding = state.Towers.Values.Where(t => string.Equals(t.InputMediaType, mediaType, StringComparison.OrdinalIgnoreCase)).ToList();
        if (holding.Count == 0 || holding.Any(t => t.CanPrintLabels))
        {
            return null;
        }

        var printing = state.Towers.Values.Where(t => t.CanPrintLabels).Select(t => $"{t.TowerId} ({t.InputMediaType})").ToList();
        var elsewhere = printing.Count == 0 ? "no tower of the farm has one" : $"towers that print: {string.Join(", ", printing)}";
        return $"the job has a label, but no tower holding {mediaType} media can print it ({string.Join(", ", holding.Select(t => t.TowerId))}: no printer the farm drives; "
            + $"a SCSI media changer's tower has none; {elsewhere}); submit it without a label, or load {mediaType} blanks into a tower with a printer";
    }
}
