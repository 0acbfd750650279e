using Farm.Messages.Drives;
using Farm.Node.Actors;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

// Holds (pause/resume), maintenance, and what happens when the supervisor gives up on the drive.
public sealed partial class RecorderActor
{
    /// <summary>Lets the actor hear about its own give-up: the owner's handler, if any, runs after ours.</summary>
    private sealed class GiveUpTarget
    {
        public RecorderActor? Actor { get; set; }
    }

    private static ActorContext WithGiveUpHandler(ActorContext context, out GiveUpTarget target)
    {
        ArgumentNullException.ThrowIfNull(context);
        var self = new GiveUpTarget();
        target = self;
        var owners = context.OnGaveUp;
        return context with
        {
            OnGaveUp = async report =>
            {
                if (self.Actor is { } actor)
                {
                    await actor.EnterMaintenanceAfterGivingUpAsync(report).ConfigureAwait(false);
                }

                if (owners is not null)
                {
                    await owners(report).ConfigureAwait(false);
                }
            },
        };
    }

    /// <summary>
    /// After the last restart the supervisor allows: the copy in progress (if any) is reported
    /// interrupted so the controller re-queues it, its disc goes to the reject bin if the arm can
    /// still take it, and the drive enters maintenance so the controller stops assigning to it.
    /// Runs on the actor's loop after StoppedAsync, so nothing else touches the state.
    /// </summary>
    private async Task EnterMaintenanceAfterGivingUpAsync(ActorGaveUp report)
    {
        using var patience = new CancellationTokenSource(options.GiveUpPatience, time);
        var token = patience.Token;
        var (opened, past) = await StreamAppender.OpenAsync(journal, StreamIdOf(DriveId), "drive", token).ConfigureAwait(false);
        stream = opened;
        history = RecorderHistory.Replay(past.Select(e => e.Event));
        if (history.Open is { Unloaded: false } open)
        {
            if (!open.Failed)
            {
                LogInterrupted(DriveId, open.JobId, open.Copy, open.Phase, open.LastPersistedLba, open.TotalBlocks);
                await PersistAsync(new DiscInterrupted(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, open.Phase, open.LastPersistedLba, open.TotalBlocks), token).ConfigureAwait(false);
            }

            if (open.DiscId is not null)
            {
                try
                {
                    await tower.UnloadAsync(DriveId, open.DiscId, Farm.Messages.Bins.Reject, "the drive was taken out of service", token).ConfigureAwait(false);
                    await PersistAsync(new DiscUnloaded(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, Farm.Messages.Bins.Reject, null), token).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Best effort: a disc the arm cannot take stays for the operator, and the drive must still reach maintenance.
                catch (Exception stuck)
#pragma warning restore CA1031
                {
                    LogDiscLeftInDrive(DriveId, open.DiscId, stuck.Message);
                }
            }
        }

        var why = $"the supervisor gave up after {report.RecentRestarts} restarts; last failure: {report.LastFailure.Message}";
        await PersistAsync(new DriveEnteredMaintenance(DriveId, why), token).ConfigureAwait(false);
        MoveTo(RecorderState.Maintenance, force: true);
        Observe(s => s with { JobId = null, LastError = why, BufferFill = 0, CurrentBytesPerSecond = 0 });
        LogGaveUp(DriveId, why);
    }

    /// <summary>After an attempt (or a start): maintenance, paused while a hold is in place, else idle.</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        Observe(s => s with { JobId = null, BytesPerSecond = 0, CurrentBytesPerSecond = 0, BufferFill = 0 });
        if (history.InMaintenance)
        {
            MoveTo(RecorderState.Maintenance);
            return;
        }

        if (history.Holds.Count > 0)
        {
            MoveTo(RecorderState.Paused);
            return;
        }

        await PersistAsync(new DriveIdle(DriveId), cancellationToken).ConfigureAwait(false);
        MoveTo(RecorderState.Idle);
    }

    private async Task PauseAsync(string hold, string why, CancellationToken cancellationToken)
    {
        if (history.Holds.ContainsKey(hold))
        {
            return;
        }

        await PersistAsync(new DrivePaused(DriveId, hold, why), cancellationToken).ConfigureAwait(false);
        LogPaused(DriveId, hold, why);
        if (Current.State == RecorderState.Idle)
        {
            MoveTo(RecorderState.Paused);
        }
    }

    private async Task ResumeHoldsAsync(string? hold, string by, CancellationToken cancellationToken)
    {
        var released = hold is null
            ? history.Holds.Keys.Where(h => h is DriveHolds.Operator or DriveHolds.Drive).ToList()
            : history.Holds.ContainsKey(hold) ? [hold] : [];
        foreach (var key in released)
        {
            await PersistAsync(new DriveResumed(DriveId, key, by), cancellationToken).ConfigureAwait(false);
            LogResumed(DriveId, key, by);
        }

        if (released.Count == 0 || history.Holds.Count > 0 || Current.State != RecorderState.Paused)
        {
            return;
        }

        // A disc the arm could not take while the tower was held is taken now.
        if (history.Open is { } open && await RecoverAsync(open, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SetMaintenanceAsync(bool on, string why, CancellationToken cancellationToken)
    {
        if (on == history.InMaintenance)
        {
            return;
        }

        if (on)
        {
            await PersistAsync(new DriveEnteredMaintenance(DriveId, why), cancellationToken).ConfigureAwait(false);
            MoveTo(RecorderState.Maintenance);
            return;
        }

        await PersistAsync(new DriveLeftMaintenance(DriveId, why), cancellationToken).ConfigureAwait(false);
        if (history.Holds.Count > 0)
        {
            // Said again, so the farm's view (which showed maintenance) shows the hold.
            var (first, reason) = history.Holds.First();
            await PersistAsync(new DrivePaused(DriveId, first, reason), cancellationToken).ConfigureAwait(false);
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A device or tower error a person must deal with: an alert, and the drive holds until it is cleared.</summary>
    private async Task NeedOperatorAsync(string hold, string alert, string message, CancellationToken cancellationToken)
    {
        await PersistAsync(new DriveAlertRaised(DriveId, alert, message), cancellationToken).ConfigureAwait(false);
        await PauseAsync(hold, message, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Drive {DriveId} is in maintenance: {Why}")]
    private partial void LogGaveUp(string driveId, string why);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Drive {DriveId}: disc {DiscId} stays in the drive: {Reason}")]
    private partial void LogDiscLeftInDrive(string driveId, string discId, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Drive {DriveId} paused ({Hold}): {Why}")]
    private partial void LogPaused(string driveId, string hold, string why);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Information, Message = "Drive {DriveId}: hold {Hold} released by {By}")]
    private partial void LogResumed(string driveId, string hold, string by);
}
