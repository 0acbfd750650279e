using System.Diagnostics;
using System.Globalization;
using Farm.Benchmarks.Cluster;
using Farm.Controller.Scheduling;
using Farm.Messages.Jobs;

namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// <c>farm-bench decide DRIVES COPIES</c>: the controller's decision alone, timed in process on the
/// real <see cref="Scheduler"/> and <see cref="FarmProjection"/>, for a farm of DRIVES drives (20
/// per node) and one job of COPIES copies (<see cref="FarmHistory"/> builds the state). Two figures:
/// the burst (every drive idle, the job just submitted: one <see cref="Scheduler.Decide"/> that
/// assigns min(DRIVES, COPIES) copies) and the floor (every drive busy: what each decision pass
/// costs when there is nothing to decide, which the controller pays on every journal write).
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"decide drives={drives} copies={copies} burst_assigned={burst.OfType<CopyAssigned>().Count()} burst_ms={burstTime.TotalMilliseconds:F0} floor_median_ms={floors[floors.Count / 2]:F2} floor_min_ms={floors[0]:F2} load={RecoveryBenchmark.Load()}"));
        return 0;
    }
}
