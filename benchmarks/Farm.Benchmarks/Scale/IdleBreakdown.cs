namespace Farm.Benchmarks.Scale;

/// <summary>
/// Where the drives' time went between the job's submit and its end, as shares of drives x wall
/// time (they add up to 100 %): busy (BurnAssigned to the DriveIdle after it, in the node's
/// journal), and three kinds of idle: <b>lead</b>, from the submit to a drive's first assignment
/// reaching its node; <b>between</b>, from a DriveIdle to the next assignment reaching the node
/// while the job still had copies (split into the controller's decision, DriveIdle to its
/// CopyAssigned row, and the assignment's way to the node, CopyAssigned to BurnAssigned); and
/// <b>tail</b>, from a drive's last DriveIdle to the job's end, when no copy was left to give it.
/// The tail is what a farm of equal drives loses at the end of a job whatever the controller does
/// when drives finish at different times (one arm per tower loads and unloads its drives one after
/// the other, so a tower's drives are out of step by an arm movement each from the first load to
/// the last unload); the lead and between shares are the controller's and the network's, and
/// busy / (busy + lead + between) is the share of the time copies waited for a drive that the
/// drives spent on them.
/// </summary>
internal sealed record IdleBreakdown(double BusyPct, double LeadPct, double BetweenPct, double DecidePct, double DeliverPct, double TailPct, int MinDiscs, int MaxDiscs)
{
    /// <param name="drives">Per drive: its (BurnAssigned ticks, DriveIdle ticks) intervals in order.</param>
    /// <param name="assigned">Per drive: the ticks of the controller's CopyAssigned rows for it.</param>
    /// <param name="start">The submit (ticks).</param>
    /// <param name="end">The job's end (ticks).</param>
    public static IdleBreakdown Of(IReadOnlyDictionary<string, List<(long Assigned, long Idle)>> drives, IReadOnlyDictionary<string, List<long>> assigned, long start, long end)
    {
        double busy = 0, lead = 0, between = 0, decide = 0, deliver = 0, tail = 0;
        int minDiscs = int.MaxValue, maxDiscs = 0;
        foreach (var (driveId, intervals) in drives)
        {
            var inJob = intervals.Where(i => i.Idle > start && i.Assigned < end).OrderBy(i => i.Assigned).ToList();
            minDiscs = Math.Min(minDiscs, inJob.Count);
            maxDiscs = Math.Max(maxDiscs, inJob.Count);
            if (inJob.Count == 0)
            {
                tail += end - start;
                continue;
            }

            var orders = (assigned.GetValueOrDefault(driveId) ?? []).Order().ToList();
            lead += Math.Max(0, inJob[0].Assigned - start);
            for (var i = 0; i < inJob.Count; i++)
            {
                var (from, to) = (Math.Max(inJob[i].Assigned, start), Math.Min(inJob[i].Idle, end));
                busy += to - from;
                if (i + 1 < inJob.Count)
                {
                    var gap = inJob[i + 1].Assigned - inJob[i].Idle;
                    between += gap;
                    var order = orders.FirstOrDefault(a => a >= inJob[i].Idle && a <= inJob[i + 1].Assigned, inJob[i + 1].Assigned);
                    decide += order - inJob[i].Idle;
                    deliver += inJob[i + 1].Assigned - order;
                }
            }

            tail += Math.Max(0, end - inJob[^1].Idle);
        }

        var whole = (double)drives.Count * (end - start);
        return new IdleBreakdown(100 * busy / whole, 100 * lead / whole, 100 * between / whole, 100 * decide / whole, 100 * deliver / whole, 100 * tail / whole,
            minDiscs == int.MaxValue ? 0 : minDiscs, maxDiscs);
    }
}
