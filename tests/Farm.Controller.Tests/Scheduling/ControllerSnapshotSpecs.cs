using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// When the controller saves a snapshot of its state: after <see cref="SchedulerOptions.SnapshotEvery"/>
/// events, and never sooner than <see cref="SchedulerOptions.SnapshotMinInterval"/> after the last one
/// (a snapshot is the whole farm's state; at farm size the event count alone asked for two a second).
/// </summary>
public sealed class ControllerSnapshotSpecs : OneMemberClusterSpec
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 16, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(Start);

    public ControllerSnapshotSpecs()
        : base(ConfigurationFactory.ParseString($"""
            akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.recording"
            akka.persistence.snapshot-store.recording.class = "{typeof(RecordingSnapshotStore).AssemblyQualifiedName}"
            """))
    {
    }

    [Fact]
    public async Task Events_that_come_faster_than_the_least_interval_wait_for_it_before_the_next_snapshot()
    {
        var saved = CreateTestProbe();
        Sys.EventStream.Subscribe(saved.Ref, typeof(SnapshotSaved));
        var controller = Sys.ActorOf(Props.Create(() => new FarmControllerActor(
            new SchedulerOptions { SnapshotEvery = 1, SnapshotMinInterval = TimeSpan.FromMinutes(1) }, _time, NullLogger<FarmControllerActor>.Instance)));

        await SubmitAsync(controller, "J1");
        Assert.Equal(1, saved.ExpectMsg<SnapshotSaved>(TimeSpan.FromSeconds(10)).SequenceNr);

        await SubmitAsync(controller, "J2");
        await SubmitAsync(controller, "J3");
        _time.Advance(TimeSpan.FromMinutes(1));
        await SubmitAsync(controller, "J4");

        // Not at 2 or 3 (within the minute of the first), but at the first event after it.
        Assert.Equal(4, saved.ExpectMsg<SnapshotSaved>(TimeSpan.FromSeconds(10)).SequenceNr);
    }

    [Fact]
    public async Task With_no_least_interval_every_event_count_reached_saves_a_snapshot()
    {
        var saved = CreateTestProbe();
        Sys.EventStream.Subscribe(saved.Ref, typeof(SnapshotSaved));
        var controller = Sys.ActorOf(Props.Create(() => new FarmControllerActor(
            new SchedulerOptions { SnapshotEvery = 1, SnapshotMinInterval = TimeSpan.Zero }, _time, NullLogger<FarmControllerActor>.Instance)));

        await SubmitAsync(controller, "J1");
        await SubmitAsync(controller, "J2");

        Assert.Equal([1L, 2L], [saved.ExpectMsg<SnapshotSaved>(TimeSpan.FromSeconds(10)).SequenceNr, saved.ExpectMsg<SnapshotSaved>(TimeSpan.FromSeconds(10)).SequenceNr]);
    }

    /// <summary>Submits a one-copy job and waits until the controller has handled what its write asked (its snapshot request included).</summary>
    private static async Task SubmitAsync(IActorRef controller, string jobId)
    {
        await controller.Ask<JobAccepted>(new SubmitJob(new JobSubmitted(jobId, "/images/release.iso", 1000, 1, VerifyMode.Full, "DVD+R", 0, Start)), TimeSpan.FromSeconds(10));
        await controller.Ask<FarmState>(GetFarmState.Instance, TimeSpan.FromSeconds(10));
    }
}

/// <summary>Told on the event stream when the snapshot store saves a snapshot.</summary>
public sealed record SnapshotSaved(string PersistenceId, long SequenceNr);

/// <summary>The in-memory snapshot store, telling the event stream of each snapshot it saves.</summary>
public sealed class RecordingSnapshotStore : MemorySnapshotStore
{
    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        Context.System.EventStream.Publish(new SnapshotSaved(metadata.PersistenceId, metadata.SequenceNr));
        return base.SaveAsync(metadata, snapshot, cancellationToken);
    }
}
