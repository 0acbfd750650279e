namespace Farm.Benchmarks.Scale;

/// <summary>
/// The physical limit of a scale run: how long its job would take on the same towers if the
/// controller answered in no time. A discrete-event replay of the farm: every drive asks for a copy
/// at the start and again the moment its disc is unloaded, and gets one while copies are left; each
/// tower's one arm loads and unloads its drives one at a time, first come first served (as
/// <c>SimulatedTower</c>'s arm does), each move taking as long as the run's arms measurably took
/// (ScaleFigures.ArmTimes: the k-th load of the replay the k-th of the run, the same for unloads); between
/// load and unload the drive works for as long as the run's drives measurably took per disc (from
/// DiscLoaded to DiscVerified in the node journals, the k-th disc loaded in the replay taking the
/// k-th disc loaded in the run's time). What it leaves out on purpose is only the controller: the
/// report's way to it, its write and decision, the assignment's way back, and its answer to the
/// verified-disc claim. A job of 5 discs per drive on towers of 5 drives sharing one arm cannot keep
/// every drive busy to the end: the arm puts the drives out of step by one movement each, and
/// they finish their last discs that far apart; the replay counts that, a sum of drive-time
/// spread evenly over the drives does not.
/// </summary>
internal static class InstantControllerReplay
{
    /// <param name="towerOfDrive">Each drive's tower.</param>
    /// <param name="works">The drives' work per disc, in the order the run loaded the discs.</param>
    /// <param name="loads">The arms' load times (real time), in the order the run's loads ended; reused from the start when the replay needs more.</param>
    /// <param name="unloads">The arms' unload times, likewise.</param>
    /// <returns>The replayed job's wall time.</returns>
    public static TimeSpan Makespan(IReadOnlyDictionary<string, string> towerOfDrive, IReadOnlyList<TimeSpan> works, IReadOnlyList<TimeSpan> loads, IReadOnlyList<TimeSpan> unloads)
    {
        var loadsDone = 0;
        var unloadsDone = 0;
        var events = new PriorityQueue<Action, (TimeSpan At, long Order)>();
        var order = 0L;
        var now = TimeSpan.Zero;
        var end = TimeSpan.Zero;
        var copiesLeft = works.Count;
        var loaded = 0;
        var armBusy = towerOfDrive.Values.Distinct(StringComparer.Ordinal).ToDictionary(t => t, _ => false, StringComparer.Ordinal);
        var armQueue = armBusy.Keys.ToDictionary(t => t, _ => new Queue<(string Drive, bool Load)>(), StringComparer.Ordinal);

        void At(TimeSpan when, Action action) => events.Enqueue(action, (when, order++));

        void AskArm(string drive, bool isLoad)
        {
            var tower = towerOfDrive[drive];
            armQueue[tower].Enqueue((drive, isLoad));
            if (!armBusy[tower])
            {
                NextArmMove(tower);
            }
        }

        void NextArmMove(string tower)
        {
            if (!armQueue[tower].TryDequeue(out var move))
            {
                armBusy[tower] = false;
                return;
            }

            armBusy[tower] = true;
            if (move.Load)
            {
                var work = works[loaded++];
                At(now + loads[loadsDone++ % loads.Count], () =>
                {
                    NextArmMove(tower);
                    At(now + work, () => AskArm(move.Drive, isLoad: false));
                });
            }
            else
            {
                At(now + unloads[unloadsDone++ % unloads.Count], () =>
                {
                    end = now;
                    NextArmMove(tower);
                    Idle(move.Drive);
                });
            }
        }

        void Idle(string drive)
        {
            if (copiesLeft > 0)
            {
                copiesLeft--;
                AskArm(drive, isLoad: true);
            }
        }

        foreach (var drive in towerOfDrive.Keys.Order(StringComparer.Ordinal))
        {
            At(TimeSpan.Zero, () => Idle(drive));
        }

        while (events.TryDequeue(out var action, out var key))
        {
            now = key.At;
            action();
        }

        return end;
    }
}
