using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Farm.Messages.Drives;
using Farm.Messages.Nodes;
using Farm.Messages.Serialization;
using Farm.Node.Cluster;
using Farm.Node.Configuration;

namespace Farm.Benchmarks.Cluster;

/// <summary>
/// <c>farm-bench delivery STORE NODE_DATA...</c>: after a real run, pairs every event a node's
/// drives and towers persisted (node.db in each NODE_DATA folder) with the NodeReported the
/// controller persisted for it (STORE, the farm's database), both read through
/// Akka.Persistence.Query, and prints the latency percentiles as a markdown table. Each event's
/// time is its journal row's timestamp (Akka.Persistence.Sql stamps the row with the clock when the
/// journal writes it); all processes run on this host, so both journals read one clock. Live sector
/// progress is not persisted by the controller and is left out.
/// </summary>
internal static class DeliveryLatency
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || !JournalAddress.TryParse(args[0], out var store, out _))
        {
            await Console.Error.WriteLineAsync("usage: farm-bench delivery sqlite:PATH|postgres://... NODE_DATA...").ConfigureAwait(false);
            return 1;
        }

        var persisted = new Dictionary<(string Source, long SequenceNr), long>();
        foreach (var folder in args[1..])
        {
            foreach (var (pid, seq, ticks, e) in await ReadAsync(new JournalAddress(true, Path.Combine(folder, "node.db")), p => p.StartsWith("drive-", StringComparison.Ordinal) || p.StartsWith("tower-", StringComparison.Ordinal)).ConfigureAwait(false))
            {
                if (e is not SectorsWritten)
                {
                    persisted[(pid, seq)] = ticks;
                }
            }
        }

        var joined = new Dictionary<string, long>(StringComparer.Ordinal);
        var all = new List<double>();
        var afterJoin = new List<double>();
        var seen = new HashSet<(string, long)>();
        foreach (var (_, _, ticks, e) in await ReadAsync(store!, p => p == FarmControllerKey.PersistenceId).ConfigureAwait(false))
        {
            if (e is NodeJoined j)
            {
                joined[j.NodeId] = ticks;
            }
            else if (e is NodeReported r && seen.Add((r.SourceId, r.SequenceNr)) && persisted.TryGetValue((r.SourceId, r.SequenceNr), out var at))
            {
                var ms = TimeSpan.FromTicks(ticks - at).TotalMilliseconds;
                all.Add(ms);
                if (joined.TryGetValue(r.NodeId, out var since) && at >= since)
                {
                    afterJoin.Add(ms);
                }
            }
        }

        if (all.Count == 0 || all.Count != persisted.Count)
        {
            await Console.Error.WriteLineAsync($"delivery: the nodes persisted {persisted.Count} events, the controller {all.Count} of them: a run that lost reports has no latency to give").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine("| events | count | p50 ms | p90 ms | p99 ms | max ms | load |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Row("every event the nodes persisted", all);
        Row("persisted after the node had joined the controller", afterJoin);
        return 0;
    }

    private static void Row(string what, List<double> values)
    {
        values.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {what} | {values.Count} | {At(values, 0.50):F0} | {At(values, 0.90):F0} | {At(values, 0.99):F0} | {values[^1]:F0} | {RecoveryBenchmark.Load()} |"));
    }

    /// <summary>Nearest-rank percentile.</summary>
    private static double At(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    internal static async Task<List<(string Pid, long SequenceNr, long Ticks, object Event)>> ReadAsync(JournalAddress store, Func<string, bool> which)
    {
        var system = ActorSystem.Create("audit", ConfigurationFactory.ParseString(FarmSerializer.Hocon)
            .WithFallback(ConfigurationFactory.ParseString(FarmPersistence.FarmStoreHocon(store)))
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
        try
        {
            var reader = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            var ids = await reader.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), system.Materializer()).ConfigureAwait(false);
            var events = new List<(string, long, long, object)>();
            foreach (var id in ids.Where(which))
            {
                var envelopes = await reader.CurrentEventsByPersistenceId(id, 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer()).ConfigureAwait(false);
                events.AddRange(envelopes.Select(e => (id, e.SequenceNr, e.Timestamp, e.Event)));
            }

            return events;
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }
}
