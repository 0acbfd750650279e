using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Node.Cluster;
using Farm.Node.Configuration;

namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// The controller's side of the run, read from its journal afterwards (each row's timestamp is when
/// the journal wrote it; one host, one clock): events persisted in the window, and for each
/// report emitted in the window, emitted -> received by the singleton (<see cref="NodeReported.ReceivedAt"/>)
/// and emitted -> persisted (the row's timestamp).
/// </summary>
/// <remarks>
/// Rows of one AtomicWrite (one <c>PersistAll</c>: a batch of reports with the decisions taken on
/// them) carry one timestamp, so the distinct timestamps in the window count the controller's
/// writes (two writes in one tick would count as one: a lower bound), and events per write is how
/// much each journal round trip carried.
/// </remarks>
internal sealed record FarmSizeJournal(int EventsInWindow, int AssignmentsInWindow, int JournalRows, int Writes, int LargestWrite, List<double> ReceivedLagMs, List<double> PersistedLagMs)
{
    public static async Task<FarmSizeJournal> ReadAsync(string store, FarmSizeSamples samples, long from, long to)
    {
        if (!JournalAddress.TryParse(store, out var farm, out var why))
        {
            throw new ArgumentException($"'{store}' is not a store address: {why}");
        }

        var events = 0;
        var assignments = 0;
        var rows = 0;
        var received = new List<double>();
        var persisted = new List<double>();
        var perWrite = new Dictionary<long, int>();
        foreach (var (_, _, ticks, e) in await Cluster.DeliveryLatency.ReadAsync(farm!, p => p == FarmControllerKey.PersistenceId).ConfigureAwait(false))
        {
            rows++;
            if (ticks < from || ticks > to)
            {
                continue;
            }

            events++;
            perWrite[ticks] = perWrite.GetValueOrDefault(ticks) + 1;
            if (e is CopyAssigned)
            {
                assignments++;
            }
            else if (e is NodeReported report && samples.EmittedAt(report.SourceId, report.SequenceNr) is { } emittedAt && emittedAt >= from)
            {
                received.Add(TimeSpan.FromTicks(report.ReceivedAt.UtcTicks - emittedAt).TotalMilliseconds);
                persisted.Add(TimeSpan.FromTicks(ticks - emittedAt).TotalMilliseconds);
            }
        }

        received.Sort();
        persisted.Sort();
        return new FarmSizeJournal(events, assignments, rows, perWrite.Count, perWrite.Count == 0 ? 0 : perWrite.Values.Max(), received, persisted);
    }
}
