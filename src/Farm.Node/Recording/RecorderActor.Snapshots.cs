using Akka.Persistence;
using Farm.Node.Persistence;
using Farm.Node.Reporting;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

// Snapshots bound the recorder's recovery: taken every N events when the drive is idle and the
// controller confirmed every event up to then (so nothing behind a snapshot still has to be re-sent); older
// snapshots and the events behind the new one are deleted (the journal grows with discs, not time).
public sealed partial class RecorderActor
{
    private long _confirmedUpTo;
    private long _snapshotAt;

    private void RecoverSnapshot(SnapshotOffer offer)
    {
        if (offer.Snapshot is RecorderSnapshot snapshot)
        {
            _history = snapshot.ToHistory();
            _snapshotAt = offer.Metadata.SequenceNr;
            _confirmedUpTo = offer.Metadata.SequenceNr;
        }
    }

    private void Confirmed(EventConfirmed confirmed)
    {
        _confirmedUpTo = Math.Max(_confirmedUpTo, confirmed.SequenceNr);
        SnapshotIfDue();
    }

    private void SnapshotIfDue()
    {
        if (_gaveUp is null && _worker is null && _status.State == RecorderState.Idle
            && LastSequenceNr - _snapshotAt >= _setup.SnapshotEvery && _confirmedUpTo >= LastSequenceNr)
        {
            _snapshotAt = LastSequenceNr;
            SaveSnapshot(RecorderSnapshot.Of(_history));
        }
    }

    private void SnapshotCommands()
    {
        Command<SaveSnapshotSuccess>(saved =>
        {
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
            DeleteMessages(saved.Metadata.SequenceNr);
        });
        Command<SaveSnapshotFailure>(failed => LogSnapshotFailed(DriveId, "save", failed.Cause.Message));
        Command<DeleteSnapshotsFailure>(failed => LogSnapshotFailed(DriveId, "delete older snapshots", failed.Cause.Message));
        Command<DeleteMessagesFailure>(failed => LogSnapshotFailed(DriveId, "delete events behind the snapshot", failed.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteMessagesSuccess>(_ => { });
    }

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning, Message = "Drive {DriveId}: snapshot bookkeeping failed ({What}): {Reason}; recovery replays more events until the next one")]
    private partial void LogSnapshotFailed(string driveId, string what, string reason);
}
