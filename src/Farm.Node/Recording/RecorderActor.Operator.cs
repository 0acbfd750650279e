using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Protocol;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

// Holds (pause/resume), maintenance, and settling the drive after an episode.
public sealed partial class RecorderActor
{
    /// <summary>After an episode (or a start): maintenance, paused while a hold is in place, else idle.</summary>
    private void Settle()
    {
        _status = _status with { JobId = null, BytesPerSecond = 0, CurrentBytesPerSecond = 0, BufferFill = 0, DriveBufferFill = null };
        if (_history.InMaintenance)
        {
            MoveTo(RecorderState.Maintenance);
            return;
        }

        if (_history.Holds.Count > 0)
        {
            MoveTo(RecorderState.Paused);
            return;
        }

        Persist(new DriveIdle(DriveId), farmEvent =>
        {
            Applied(farmEvent);
            MoveTo(RecorderState.Idle);
            SnapshotIfDue();
        });
    }

    /// <summary>An operator's order passed on by the controller.</summary>
    private void OnDriveCommand(DriveCommand command)
    {
        switch (command.Action)
        {
            case DriveAction.Pause:
                Pause(DriveHolds.Operator, command.Why);
                break;
            case DriveAction.Resume:
                ResumeHolds(null, command.By);
                break;
            case DriveAction.EnterMaintenance:
                SetMaintenance(true, command.Why);
                break;
            case DriveAction.LeaveMaintenance:
                SetMaintenance(false, command.By);
                break;
        }
    }

    private void Pause(string hold, string why)
    {
        if (_history.Holds.ContainsKey(hold))
        {
            return;
        }

        Persist(new DrivePaused(DriveId, hold, why), farmEvent =>
        {
            Applied(farmEvent);
            LogPaused(DriveId, hold, why);
            if (_status.State == RecorderState.Idle)
            {
                MoveTo(RecorderState.Paused);
            }
        });
    }

    private void ResumeHolds(string? hold, string by)
    {
        List<string> released = hold is null
            ? [.. _history.Holds.Keys.Where(h => h is DriveHolds.Operator or DriveHolds.Drive)]
            : _history.Holds.ContainsKey(hold) ? [hold] : [];
        PersistEach(released.Select(key => (IFarmEvent)new DriveResumed(DriveId, key, by)), farmEvent => LogResumed(DriveId, ((DriveResumed)farmEvent).Hold, by), () =>
        {
            if (_history.Holds.Count > 0 || _status.State != RecorderState.Paused)
            {
                return;
            }

            // A disc the arm could not take while the tower was held is taken now.
            if (_history.Open is { Unloaded: false } open)
            {
                StartWorker(new BurnEpisode.Recover(open));
                return;
            }

            Settle();
        });
    }

    private void SetMaintenance(bool on, string why)
    {
        if (on == _history.InMaintenance)
        {
            return;
        }

        if (on)
        {
            Persist(new DriveEnteredMaintenance(DriveId, why), farmEvent =>
            {
                Applied(farmEvent);
                MoveTo(RecorderState.Maintenance);
            });
            return;
        }

        var events = new List<IFarmEvent> { new DriveLeftMaintenance(DriveId, why) };
        if (_history.Holds.Count > 0)
        {
            // Said again, so the farm's view (which showed maintenance) shows the hold.
            var (first, reason) = _history.Holds.First();
            events.Add(new DrivePaused(DriveId, first, reason));
        }

        PersistEach(events, _ => { }, () =>
        {
            if (_gaveUp is not null)
            {
                // Back in service after the supervisor gave up: start afresh, device and all.
                Context.Parent.Tell(DriveSupervisor.ServiceRestored.Instance);
                return;
            }

            Settle();
        });
    }

    /// <summary>Persists the events in order (each applied and reported, then <paramref name="each"/>), then runs <paramref name="after"/>; with none, nothing runs.</summary>
    private void PersistEach(IEnumerable<IFarmEvent> events, Action<IFarmEvent> each, Action after)
    {
        var list = events.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var done = 0;
        PersistAll(list, farmEvent =>
        {
            Applied(farmEvent);
            each(farmEvent);
            if (++done == list.Count)
            {
                after();
            }
        });
    }

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Drive {DriveId} paused ({Hold}): {Why}")]
    private partial void LogPaused(string driveId, string hold, string why);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Drive {DriveId}: hold {Hold} released by {By}")]
    private partial void LogResumed(string driveId, string hold, string by);
}
