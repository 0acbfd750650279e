using System.Diagnostics;
using System.Globalization;
using Farm.Benchmarks.Cluster;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Views;

namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// <c>farm-bench decide DRIVES COPIES</c>: the controller's decision alone, timed in process on the
/// real <see cref="Scheduler"/> and <see cref="FarmProjection"/>, for a farm of DRIVES drives (20
/// per node) and one job of COPIES copies (<see cref="FarmHistory"/> builds the state). Two figures:
/// the burst (every drive idle, the job just submitted: one <see cref="Scheduler.Decide"/> that
/// assigns min(DRIVES, COPIES) copies) and the floor (every drive busy: what each decision pass
/// costs when there is nothing to decide, which the controller pays on every journal write), and
/// the steady write (<see cref="Steady"/>: a few discs binned, their copies verified and the drives
/// given the next ones).
/// </summary>
internal static class DecideBenchmark
{
    public const string Usage = "farm-bench decide DRIVES COPIES";

    private static readonly SchedulerOptions Options = new() { RegistrationGrace = TimeSpan.FromHours(1) };

    public static int Run(string[] args)
    {
        if (args.Length != 2
            || !int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var drives) || drives < 20 || drives % 20 != 0
            || !int.TryParse(args[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var copies) || copies < 1)
        {
            Console.Error.WriteLine($"usage: {Usage} (DRIVES a multiple of 20, at least 20; COPIES at least 1)");
            return 1;
        }

        var history = new FarmHistory(nodes: drives / 20, drivesPerNode: 20, copiesPerJob: copies);
        var now = DateTimeOffset.MinValue;
        foreach (var e in history.Events())
        {
            if (e is JobSubmitted submitted)
            {
                now = submitted.SubmittedAt;
                break;
            }
        }

        var idle = history.State;
        var started = Stopwatch.GetTimestamp();
        var burst = Scheduler.Decide(idle, Options, now, now);
        var burstTime = Stopwatch.GetElapsedTime(started);

        var busy = idle;
        var ordering = history.Count;
        foreach (var decision in burst)
        {
            busy = FarmProjection.Apply(busy, decision, ++ordering, null);
        }

        var floors = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            started = Stopwatch.GetTimestamp();
            var nothing = Scheduler.Decide(busy, Options, now, now);
            floors.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (nothing.Count != 0)
            {
                Console.Error.WriteLine($"farm-bench decide: with every drive busy the scheduler still decided {nothing.Count} events (first: {nothing[0]}); the floor figure would not be a floor");
                return 1;
            }
        }

        floors.Sort();
        var steady = Steady(busy, burst.OfType<CopyAssigned>().Take(SteadyDiscs).ToList(), ordering, now);
        if (steady is null)
        {
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decide drives={drives} copies={copies} burst_assigned={burst.OfType<CopyAssigned>().Count()} burst_ms={burstTime.TotalMilliseconds:F0} floor_median_ms={floors[floors.Count / 2]:F2} floor_min_ms={floors[0]:F2} steady_median_ms={steady.Value.Median:F2} steady_min_ms={steady.Value.Min:F2} load={RecoveryBenchmark.Load()}"));
        return 0;
    }

    /// <summary>Drives whose disc is binned in each steady write (a few per write is what a running job's writes carry).</summary>
    private const int SteadyDiscs = 10;

    /// <summary>
    /// The steady state of a running job: <see cref="SteadyDiscs"/> drives bin a verified disc and
    /// report idle, and the controller's write decides pass after pass until nothing is left (as
    /// FarmControllerActor.DecisionsAfter does: the copies verified, then the freed drives given the
    /// next copies). Timed from the reports' apply to the last, empty pass; median and min of 20,
    /// each on the busy farm again. Null (with the reason written) when the passes did not do that.
    /// </summary>
    private static (double Median, double Min)? Steady(FarmState busy, List<CopyAssigned> finishing, long ordering, DateTimeOffset now)
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var state = busy;
            var next = ordering;
            foreach (var a in finishing)
            {
                state = FarmProjection.Apply(state, new DiscUnloaded(a.DriveId, a.JobId, a.Copy, a.Attempt, $"disc-{a.JobId}-{a.Copy}", Bins.Output, "00"), ++next, now);
                state = FarmProjection.Apply(state, new DriveIdle(a.DriveId), ++next, now);
            }

            var verified = 0;
            var assigned = 0;
            for (var pass = 0; ; pass++)
            {
                var decisions = Scheduler.Decide(state, Options, now, now);
                if (decisions.Count == 0)
                {
                    break;
                }

                if (pass == 8)
                {
                    Console.Error.WriteLine($"farm-bench decide: the steady write took more than 8 passes (last: {decisions[0]})");
                    return null;
                }

                foreach (var decision in decisions)
                {
                    verified += decision is CopyVerified ? 1 : 0;
                    assigned += decision is CopyAssigned ? 1 : 0;
                    state = FarmProjection.Apply(state, decision, ++next);
                }
            }

            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (verified != finishing.Count || assigned != finishing.Count)
            {
                Console.Error.WriteLine($"farm-bench decide: {finishing.Count} drives binned a disc, but the write verified {verified} copies and assigned {assigned}: not the steady state");
                return null;
            }
        }

        times.Sort();
        return (times[times.Count / 2], times[0]);
    }
}
