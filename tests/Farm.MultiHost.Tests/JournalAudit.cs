using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Serialization;
using Farm.Messages.Views;
using Farm.Node.Cluster;
using Farm.Node.Configuration;

namespace Farm.MultiHost.Tests;

/// <summary>One event of the controller's journal, with a node's report unwrapped (<see cref="Source"/> says where it came from).</summary>
internal sealed record AuditEntry(long SequenceNr, IFarmEvent Event, string Source, long SourceSequenceNr);

/// <summary>
/// Reads journals the way the farm wrote them: through Akka.Persistence.Query on an ActorSystem of
/// its own (the farm's serializer, the same plugin settings), never from the tables by hand; and
/// checks the farm's invariant for one job from what it read.
/// </summary>
internal sealed class JournalAudit : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly SqlReadJournal _reader;

    private JournalAudit(ActorSystem system, string queryPluginId)
    {
        _system = system;
        _reader = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(queryPluginId);
    }

    /// <summary>A reader of the farm's database (the controller singleton's journal).</summary>
    public static JournalAudit OfFarm(JournalAddress store) => new(
        ActorSystem.Create("audit", ConfigurationFactory.ParseString(FarmSerializer.Hocon)
            .WithFallback(ConfigurationFactory.ParseString(FarmPersistence.FarmStoreHocon(store)))
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"))),
        SqlReadJournal.Identifier);

    /// <summary>A reader of a node's local journal (node.db in its data folder).</summary>
    public static JournalAudit OfNode(string dataDirectory) => OfFarm(new JournalAddress(true, Path.Combine(dataDirectory, "node.db")));

    /// <summary>Every event of one persistent actor, in order.</summary>
    public async Task<IReadOnlyList<(long SequenceNr, object Event)>> EventsOfAsync(string persistenceId)
    {
        var envelopes = await _reader.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), _system.Materializer());
        return [.. envelopes.Select(e => (e.SequenceNr, e.Event))];
    }

    public async Task<IReadOnlyList<string>> PersistenceIdsAsync() =>
        await _reader.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), _system.Materializer());

    /// <summary>The controller's journal, each node report unwrapped.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ControllerAsync() =>
        [.. (await EventsOfAsync(FarmControllerKey.PersistenceId)).Select(e => e.Event switch
        {
            NodeReported r => new AuditEntry(e.SequenceNr, r.Event, r.SourceId, r.SequenceNr),
            IFarmEvent decision => new AuditEntry(e.SequenceNr, decision, FarmControllerKey.PersistenceId, e.SequenceNr),
            var other => throw new InvalidOperationException($"the controller's journal holds a {other.GetType().Name}"),
        })];

    /// <summary>The farm as the controller's journal folds (exactly as the controller does on recovery).</summary>
    public async Task<FarmState> StateAsync() =>
        (await EventsOfAsync(FarmControllerKey.PersistenceId)).Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, (IFarmEvent)e.Event, e.SequenceNr));

    public async ValueTask DisposeAsync() => await _system.Terminate();

    /// <summary>Every disc the job's drives loaded has left its drive for a bin.</summary>
    public static bool EveryDiscBinned(IReadOnlyList<AuditEntry> entries, string jobId)
    {
        var loaded = entries.Select(e => e.Event).OfType<DiscLoaded>().Where(e => e.JobId == jobId).Select(e => e.DiscId).ToHashSet(StringComparer.Ordinal);
        var unloaded = entries.Select(e => e.Event).OfType<DiscUnloaded>().Where(e => e.JobId == jobId).Select(e => e.DiscId).ToHashSet(StringComparer.Ordinal);
        return loaded.IsSubsetOf(unloaded);
    }

    /// <summary>The discs loaded for the job that never reached a bin, each with what the journal says of its drive's attempt.</summary>
    public static string DiscsNotBinned(IReadOnlyList<AuditEntry> entries, string jobId)
    {
        var unloaded = entries.Select(e => e.Event).OfType<DiscUnloaded>().Where(e => e.JobId == jobId).Select(e => e.DiscId).ToHashSet(StringComparer.Ordinal);
        var missing = entries.Where(e => e.Event is DiscLoaded l && l.JobId == jobId && !unloaded.Contains(l.DiscId)).ToList();
        return missing.Count == 0 ? "none missing" : "not binned: " + string.Join("; ", missing.Select(m =>
        {
            var loaded = (DiscLoaded)m.Event;
            var after = entries.Where(e => e.SequenceNr >= m.SequenceNr && e.Source == m.Source).Select(e => $"#{e.SequenceNr} {e.Event}");
            return $"{loaded.DiscId} in {loaded.DriveId} (copy {loaded.Copy}), its drive's events from then: {string.Join(", ", after)}";
        }));
    }

    /// <summary>
    /// The invariant: exactly <paramref name="copies"/> CopyVerified, one per copy; no attempt
    /// decided twice (verified or failed); every disc in an output bin is a verified attempt; every
    /// other disc is in a reject bin and its attempt recorded as failed with a reason; every disc
    /// loaded reached a bin; no node report applied twice.
    /// </summary>
    public static void AssertInvariant(IReadOnlyList<AuditEntry> entries, FarmState state, string jobId, int copies)
    {
        var events = entries.Select(e => e.Event).ToList();
        var verified = events.OfType<CopyVerified>().Where(e => e.JobId == jobId).ToList();
        var failed = events.OfType<CopyFailed>().Where(e => e.JobId == jobId).ToList();
        Assert.True(copies == verified.Count, $"{verified.Count} CopyVerified for {copies} copies:\n" + string.Join("\n", verified));
        Assert.Equal(Enumerable.Range(1, copies), verified.Select(v => v.Copy).Order());

        var decided = verified.Select(v => (v.Copy, v.Attempt)).Concat(failed.Select(f => (f.Copy, f.Attempt))).ToList();
        Assert.True(decided.Count == decided.Distinct().Count(), $"an attempt was counted twice: {string.Join(", ", decided.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key))}");

        var reports = entries.Where(e => e.Source != FarmControllerKey.PersistenceId).Select(e => (e.Source, e.SourceSequenceNr)).ToList();
        Assert.True(reports.Count == reports.Distinct().Count(), "a node's report was persisted twice by the controller");

        var unloads = events.OfType<DiscUnloaded>().Where(e => e.JobId == jobId).ToList();
        var outputs = unloads.Where(u => u.Bin == Bins.Output).ToList();
        foreach (var output in outputs)
        {
            Assert.True(verified.Any(v => v.Copy == output.Copy && v.Attempt == output.Attempt && v.DiscId == output.DiscId),
                $"{output} put a disc in an output bin that no CopyVerified counts; the copy's events: " +
                string.Join(", ", entries.Where(e => e.Event is CopyAssigned or CopyVerified or CopyFailed or CopyRequeued or DiscInterrupted or DiscUnloaded or NodeLost)
                    .Where(e => e.Event is NodeLost || e.Event.ToString()!.Contains($"Copy = {output.Copy},", StringComparison.Ordinal))
                    .Select(e => $"#{e.SequenceNr} {e.Event}")));
        }

        Assert.Equal(copies, outputs.Count);
        foreach (var reject in unloads.Where(u => u.Bin != Bins.Output))
        {
            Assert.Equal(Bins.Reject, reject.Bin);
            Assert.Contains(failed, f => f.Copy == reject.Copy && f.Attempt == reject.Attempt && !string.IsNullOrWhiteSpace(f.Reason.Message));
        }

        Assert.True(EveryDiscBinned(entries, jobId), "a disc the job loaded never reached a bin");
        Assert.Equal(JobStatus.Completed, state.Jobs[jobId].Status);
    }
}
