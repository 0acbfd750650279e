using Farm.Messages.Views;
using System.Text.Json;
using System.Text.Json.Serialization;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Node.Journal;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// A controller restarts (or a standby takes over) from its latest snapshot plus the journal
/// after it, and ends with the same farm, deciding the same things, as a full replay.
/// </summary>
public sealed class SnapshotTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private static readonly FailureReason Underrun = new("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "underrun");
    private readonly TempDirectory folder = new("controller-snapshot");

    public void Dispose() => folder.Dispose();

    /// <summary>A farm with something of everything a projection holds: two towers on two nodes, collated and labelled jobs, failures, holds, outcomes.</summary>
    private static IFarmEvent[] History() =>
    [
        new TowerBinsReported("T1", 40, "DVD+R", 3, 1),
        new TowerBinsReported("T2", 0, "BD-R", 0, 0),
        new TowerAlertRaised("T2", "InputEmpty", "input bin empty"),
        new DriveCameOnline("b", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("b"),
        new DriveCameOnline("a", "n1", "T1", "SIM", "DRIVE"), new DriveIdle("a"),
        new DriveCameOnline("c", "n2", "T2", "SIM", "DRIVE"), new DriveIdle("c"),
        new NodeHeartbeat("n1", Now, [new DriveBeat("a", "Idle")]),
        new JobSubmitted("J1", "/img/a.iso", 1000, 2, VerifyMode.Full, "DVD+R", 5, Now,
            new JobSource(SourceKind.CollatedSet, "/img/a.iso", [new SetImage("/img/a.iso", 1000), new SetImage("/img/b.iso", 2000)]),
            new LabelSpec("{title} #{serial}", [new Dictionary<string, string> { ["title"] = "Release", ["serial"] = "0001" }]),
            Now.AddHours(2), 3, AllowResume: true),
        new JobSubmitted("J2", "/img/c.iso", 500, 3, VerifyMode.Quick, "DVD+R", 0, Now.AddMinutes(1)),
        new CopyAssigned("J1", 1, 1, "n1", "a", "/img/a.iso", 1000, VerifyMode.Full, "DVD+R"),
        new BurnAssigned("a", "J1", 1, 1, 1000, "/img/a.iso", VerifyMode.Full, false, null),
        new SectorsWritten("a", "J1", 1, 499, 1000, 5.5e6),
        new BurnFailed("a", "J1", 1, 1, "Writing", 499, Underrun),
        new CopyAssigned("J1", 2, 1, "n1", "b", "/img/b.iso", 2000, VerifyMode.Full, "DVD+R"),
        new DiscUnloaded("b", "J1", 2, 1, "T1-00002", Bins.Output, "abc123"),
        new JobHeld("J2", "waiting for artwork", Now),
    ];

    private static FarmState Fold(IEnumerable<IFarmEvent> events) =>
        events.Select((e, i) => (e, i)).Aggregate(FarmState.Empty, (s, x) => FarmProjection.Apply(s, x.e, x.i + 1, Now.AddSeconds(x.i), Now));

    private static string Canonical(FarmState state) => JsonSerializer.Serialize(state, Json);

    [Fact]
    public async Task A_saved_snapshot_loads_back_as_the_same_farm_and_the_scheduler_decides_the_same()
    {
        var state = Fold(History());
        await using var journal = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);

        await journal.SaveSnapshotAsync(FarmController.SnapshotStreamId, state.LastOrdering, state, CancellationToken.None);
        var loaded = (await journal.LoadSnapshotAsync<FarmState>(FarmController.SnapshotStreamId, CancellationToken.None))!;

        Assert.Equal(state.LastOrdering, loaded.SequenceNr);
        Assert.Equal(Canonical(state), Canonical(loaded.State));
        var options = new SchedulerOptions();
        Assert.Equal(Scheduler.Decide(state, options, Now.AddSeconds(5)), Scheduler.Decide(loaded.State, options, Now.AddSeconds(5)));
    }

    [Fact]
    public async Task A_restarted_controller_reads_only_the_journal_after_its_snapshot_and_rebuilds_the_same_farm()
    {
        var events = History();
        await using var journal = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        for (var i = 0; i < 12; i++)
        {
            await journal.AppendAsync($"s{i}", 0, [events[i]], "", CancellationToken.None);
        }

        var options = new SchedulerOptions { SnapshotEvery = 5, LeaseTimeout = TimeSpan.FromDays(1) };
        await RunUntilCaughtUpAsync(new FarmController(journal, TimeProvider.System, options, NullLogger<FarmController>.Instance));
        var snapshot = (await journal.LoadSnapshotAsync<FarmState>(FarmController.SnapshotStreamId, CancellationToken.None))!;
        for (var i = 12; i < events.Length; i++)
        {
            await journal.AppendAsync($"s{i}", 0, [events[i]], "", CancellationToken.None);
        }

        var restarted = new FarmController(journal, TimeProvider.System, options, NullLogger<FarmController>.Instance);
        var applied = new List<long>();
        restarted.Applied += (entry, _) => applied.Add(entry.Ordering);
        var rebuilt = await RunUntilCaughtUpAsync(restarted);

        Assert.True(snapshot.SequenceNr >= 5, $"snapshot at {snapshot.SequenceNr}");
        Assert.Equal(snapshot.SequenceNr, restarted.RestoredFromOrdering);
        Assert.All(applied, ordering => Assert.True(ordering > snapshot.SequenceNr));
        var replayed = (await journal.ReadAllAsync(0, int.MaxValue, CancellationToken.None))
            .Where(e => e.Ordering <= rebuilt.LastOrdering) // not what it decided after the state was taken
            .Aggregate(FarmState.Empty, (s, e) => FarmProjection.Apply(s, e.Event, e.Ordering, e.Timestamp, Now));
        Assert.Equal(Canonical(replayed with { Nodes = rebuilt.Nodes }), Canonical(rebuilt)); // node leases are stamped with each reader's own clock
        Assert.Equal(replayed.Nodes.Keys, rebuilt.Nodes.Keys);
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_read_is_ignored_and_the_whole_journal_is_replayed()
    {
        var events = History();
        await using var journal = await SqliteJournal.OpenAsync(folder.PathOf("farm.db"), TimeProvider.System, CancellationToken.None);
        await journal.AppendAsync("farm", 0, events, "", CancellationToken.None);
        await journal.SaveSnapshotAsync(FarmController.SnapshotStreamId, 3, "not a farm state", CancellationToken.None);

        var controller = new FarmController(journal, TimeProvider.System, new SchedulerOptions { LeaseTimeout = TimeSpan.FromDays(1) }, NullLogger<FarmController>.Instance);
        var rebuilt = await RunUntilCaughtUpAsync(controller);

        Assert.Equal(0, controller.RestoredFromOrdering);
        Assert.InRange(rebuilt.LastOrdering, events.Length, long.MaxValue); // every event read (and perhaps its first decisions)
        Assert.Equal((4, JobStatus.Held), (rebuilt.Jobs["J1"].CopyStates.Count, rebuilt.Jobs["J2"].Status));
    }

    [Fact]
    public void Snapshot_spacing_is_validated()
    {
        var bad = Assert.Throws<ArgumentException>(() => new SchedulerOptions { SnapshotEvery = 0 }.Validate());
        Assert.Contains("SnapshotEvery", bad.Message, StringComparison.Ordinal);
    }

    private static async Task<FarmState> RunUntilCaughtUpAsync(FarmController controller)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = controller.RunAsync(stop.Token);
        await controller.CaughtUp.WaitAsync(stop.Token);
        var state = controller.State;
        await stop.CancelAsync();
        await running;
        return state;
    }
}
