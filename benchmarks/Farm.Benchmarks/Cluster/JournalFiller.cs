using Akka.Actor;
using Akka.Persistence;
using Farm.Messages;
using Farm.Messages.Views;
using Farm.Node.Cluster;

namespace Farm.Benchmarks.Cluster;

/// <summary>
/// Writes the controller's journal fast: a persistent actor with the controller's own persistence
/// id on the same plugins, appending batches with PersistAll (each batch one journal write) and
/// saving or erasing the controller's snapshot. It never runs beside a controller.
/// </summary>
internal sealed class JournalFiller : ReceivePersistentActor
{
    public JournalFiller()
    {
        IActorRef? waiting = null;
        Recover<object>(_ => { });
        Command<Append>(append =>
        {
            var sender = Sender;
            var left = append.Events.Count;
            PersistAll(append.Events, _ =>
            {
                if (--left == 0)
                {
                    sender.Tell(LastSequenceNr);
                }
            });
        });
        Command<FarmState>(state =>
        {
            waiting = Sender;
            SaveSnapshot(state);
        });
        Command<SaveSnapshotSuccess>(saved => waiting?.Tell(saved.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(failed => waiting?.Tell(new Status.Failure(failed.Cause)));
        Command<EraseSnapshots>(_ =>
        {
            waiting = Sender;
            DeleteSnapshots(new SnapshotSelectionCriteria(long.MaxValue));
        });
        Command<DeleteSnapshotsSuccess>(_ => waiting?.Tell(0L));
        Command<DeleteSnapshotsFailure>(failed => waiting?.Tell(new Status.Failure(failed.Cause)));
    }

    public override string PersistenceId => FarmControllerKey.PersistenceId;

    /// <summary>Append these events (replies with the last sequence number once written).</summary>
    public sealed record Append(IReadOnlyList<IFarmEvent> Events);

    /// <summary>Delete every snapshot of the controller (replies 0 once done).</summary>
    public sealed record EraseSnapshots;
}
