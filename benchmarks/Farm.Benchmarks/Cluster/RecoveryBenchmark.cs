using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Serialization;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Benchmarks.Cluster;

/// <summary>
/// <c>farm-bench recovery STORE EVENTS [RUNS]</c>: fills the controller's journal on STORE (an empty
/// <c>sqlite:PATH</c> or <c>postgres://...</c> database) with EVENTS events of a busy farm
/// (<see cref="FarmHistory"/>), the controller's snapshot saved 1,000 events before the end (the
/// longest tail its default SnapshotEvery leaves), then times RUNS recoveries of a real
/// <see cref="FarmControllerActor"/> from that snapshot, and RUNS with the snapshot deleted (the
/// whole journal replayed): from creating the actor, each in a fresh ActorSystem, to its first answer
/// to GetFarmState. Every recovered state is checked against the state the fill folded.
/// </summary>
internal static class RecoveryBenchmark
{
    private const int Batch = 1000;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(20);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || !JournalAddress.TryParse(args[0], out var store, out var problem) || !long.TryParse(args[1], CultureInfo.InvariantCulture, out var events) || events < 2 * Batch || events % Batch != 0)
        {
            await Console.Error.WriteLineAsync("usage: farm-bench recovery sqlite:PATH|postgres://... EVENTS [RUNS] (EVENTS a multiple of 1000, at least 2000; the database empty)").ConfigureAwait(false);
            return 1;
        }

        var runs = args.Length >= 3 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        if (store!.IsSqlite)
        {
            FarmPersistence.PrepareSqlite(store.Target);
        }

        var kind = store.IsSqlite ? "sqlite" : "postgres";
        var (expected, snapshotAt, snapshotBytes) = await FillAsync(store, events).ConfigureAwait(false);
        for (var run = 1; run <= runs; run++)
        {
            var took = await RecoverAsync(store, expected).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recovery store={kind} events={expected.LastOrdering} snapshot=yes snapshot_at={snapshotAt} snapshot_bytes={snapshotBytes} run={run} ms={took.TotalMilliseconds:F0} load={Load()}"));
        }

        await EraseSnapshotsAsync(store).ConfigureAwait(false);
        for (var run = 1; run <= runs; run++)
        {
            var took = await RecoverAsync(store, expected).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recovery store={kind} events={expected.LastOrdering} snapshot=no snapshot_at=0 snapshot_bytes=0 run={run} ms={took.TotalMilliseconds:F0} load={Load()}"));
        }

        return 0;
    }

    /// <summary>The load average over the last minute, as uptime shows it.</summary>
    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static async Task<(FarmState Expected, long SnapshotAt, int SnapshotBytes)> FillAsync(JournalAddress store, long events)
    {
        var system = ActorSystem.Create("fill", StoreConfig(store));
        try
        {
            var filler = system.ActorOf(Props.Create(() => new JournalFiller()), "farm-controller");
            var history = new FarmHistory(nodes: 8, drivesPerNode: 4, copiesPerJob: 20);
            var snapshotAt = events - Batch;
            var snapshotBytes = 0;
            var snapshotReadMs = 0.0;
            var clock = Stopwatch.StartNew();
            using var stream = history.Events().GetEnumerator();
            while (history.Count < snapshotAt + Batch)
            {
                var batch = new List<IFarmEvent>(Batch);
                while (batch.Count < Batch && stream.MoveNext())
                {
                    batch.Add(stream.Current);
                }

                var written = await filler.Ask<long>(new JournalFiller.Append(batch), Patience).ConfigureAwait(false);
                if (written != history.Count)
                {
                    throw new InvalidOperationException($"the journal is at event {written}, the fill at {history.Count}: the database was not empty");
                }

                if (written == snapshotAt)
                {
                    (snapshotBytes, snapshotReadMs) = ReadBack(system, history.State);
                    await filler.Ask<long>(history.State, Patience).ConfigureAwait(false);
                }
            }

            // On to a point where the controller has nothing to decide: one that did would append
            // to the journal while it recovers, and each run would recover a different journal.
            while (!history.Quiet && stream.MoveNext())
            {
                await filler.Ask<long>(new JournalFiller.Append([stream.Current]), Patience).ConfigureAwait(false);
            }

            var state = history.State;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fill events={history.Count} jobs={state.Jobs.Count} discs_verified={Verified(state)} snapshot_read_ms={snapshotReadMs:F0} seconds={clock.Elapsed.TotalSeconds:F1} events_per_second={events / clock.Elapsed.TotalSeconds:F0} load={Load()}"));
            return (state, snapshotAt, snapshotBytes);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The snapshot's size, and the time to turn its bytes back into the state as recovery does
    /// (deserialize, then <see cref="FarmState.WithOrdinalKeys"/>): the best of three, warm.
    /// </summary>
    private static (int Bytes, double Milliseconds) ReadBack(ActorSystem system, FarmState state)
    {
        var serializer = system.Serialization.FindSerializerFor(state);
        var bytes = serializer.ToBinary(state);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, state);
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            var read = ((FarmState)system.Serialization.Deserialize(bytes, serializer.Identifier, manifest)).WithOrdinalKeys();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            if (read.Jobs.Count != state.Jobs.Count)
            {
                throw new InvalidOperationException($"the snapshot read back holds {read.Jobs.Count} jobs, the state {state.Jobs.Count}");
            }
        }

        return (bytes.Length, best);
    }

    private static async Task EraseSnapshotsAsync(JournalAddress store)
    {
        var system = ActorSystem.Create("erase", StoreConfig(store));
        try
        {
            var filler = system.ActorOf(Props.Create(() => new JournalFiller()), "farm-controller");
            await filler.Ask<long>(new JournalFiller.EraseSnapshots(), Patience).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>A real controller in a fresh ActorSystem (cluster provider, not joined: recovery needs no peers); the time to its first answer.</summary>
    private static async Task<TimeSpan> RecoverAsync(JournalAddress store, FarmState expected)
    {
        var config = ConfigurationFactory.ParseString(new FarmClusterOptions { Host = "127.0.0.1", Port = 0, Roles = [FarmClusterOptions.ControllerRole] }.ToHocon())
            .WithFallback(StoreConfig(store));
        var system = ActorSystem.Create("farm", config);
        try
        {
            var options = new SchedulerOptions { RegistrationGrace = TimeSpan.FromHours(1) };
            var clock = Stopwatch.StartNew();
            var controller = system.ActorOf(Props.Create(() => new FarmControllerActor(options, TimeProvider.System, NullLogger<FarmControllerActor>.Instance)), "controller");
            var state = await controller.Ask<FarmState>(GetFarmState.Instance, Patience).ConfigureAwait(false);
            var took = clock.Elapsed;
            if (state.LastOrdering != expected.LastOrdering || state.Jobs.Count != expected.Jobs.Count || Verified(state) != Verified(expected) || state.Drives.Count != expected.Drives.Count)
            {
                throw new InvalidOperationException($"the recovered controller is at event {state.LastOrdering} with {state.Jobs.Count} jobs, {Verified(state)} discs verified; the fill wrote {expected.LastOrdering}, {expected.Jobs.Count}, {Verified(expected)}");
            }

            return took;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private static int Verified(FarmState state) => state.Jobs.Values.Sum(j => j.CopyStates.Values.Count(c => c.Status == CopyStatus.Verified));

    private static Config StoreConfig(JournalAddress store) =>
        ConfigurationFactory.ParseString(FarmSerializer.Hocon)
            .WithFallback(ConfigurationFactory.ParseString(FarmPersistence.FarmStoreHocon(store)))
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
}
