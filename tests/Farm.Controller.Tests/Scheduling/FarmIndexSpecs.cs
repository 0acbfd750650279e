using System.Text;
using Akka.Serialization;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Serialization;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The scheduler's index (<see cref="FarmIndex"/>) where the projection did not keep it: a state
/// restored from a snapshot (the index is never serialized) and a state built by hand both build it
/// from their collections, and decide what a full scan decides.
/// </summary>
public sealed class FarmIndexSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly SchedulerOptions Options = new();

    public FarmIndexSpecs()
        : base(FarmSerializer.Hocon)
    {
    }

    [Fact]
    public void A_state_restored_from_a_snapshot_builds_its_index_and_decides_what_the_saved_state_decides()
    {
        var saved = Farm(
            new NodeJoined("n1", "akka.tcp://farm@n1:4053", At, []),
            new TowerBinsReported("T1", 5, "DVD+R", 0, 0),
            new DriveCameOnline("D1", "n1", "T1", "SIM", "DRIVE"),
            new DriveCameOnline("D2", "n1", "T1", "SIM", "DRIVE"),
            new DriveIdle("D1"),
            new DriveIdle("D2"),
            new JobSubmitted("J1", "/images/release.iso", 1000, 3, VerifyMode.Full, "DVD+R", 0, At));
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(saved);

        var bytes = serializer.ToBinary(saved);
        var restored = ((FarmState)serializer.FromBinary(bytes, nameof(FarmState))).WithOrdinalKeys().Indexed();

        Assert.DoesNotContain("index", Encoding.UTF8.GetString(bytes), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FarmIndexText.Of(saved.Index), FarmIndexText.Of(restored.Index));
        var decided = Scheduler.Decide(restored, Options, At, At);
        Assert.Equal(2, decided.OfType<CopyAssigned>().Count());
        Assert.Equal(Scheduler.Decide(saved, Options, At, At), decided);
    }

    [Fact]
    public void A_state_built_by_hand_is_indexed_from_its_collections_and_decides_what_the_full_scan_decides()
    {
        var job = FarmProjection.Apply(FarmState.Empty, new JobSubmitted("J1", "/images/release.iso", 1000, 2, VerifyMode.Full, "DVD+R", 0, At)).Jobs["J1"];
        var state = FarmState.Empty with
        {
            Jobs = FarmState.Empty.Jobs.Add("J1", job),
            Drives = FarmState.Empty.Drives.Add("D1", new DriveView("D1", "n1", "T1", "SIM DRIVE", DriveStatus.Idle, "Idle", null, 0, 0, -1, 0, 0, null, 0)),
            Towers = FarmState.Empty.Towers.Add("T1", new TowerView("T1", 5, "DVD+R", 0, 0, null)),
            Nodes = FarmState.Empty.Nodes.Add("n1", new NodeView("n1", At, false)),
        };

        var decided = Scheduler.Decide(state, Options, At, At);

        Assert.Equal([new CopyAssigned("J1", 1, 1, "n1", "D1", "/images/release.iso", 1000, VerifyMode.Full, "DVD+R")], decided);
        Assert.Equal(FullScanScheduler.Decide(state, Options, At, At), decided);
    }

    private static FarmState Farm(params IFarmEvent[] events) =>
        events.Aggregate(FarmState.Empty, (state, e) => FarmProjection.Apply(state, e, state.LastOrdering + 1, At));
}
