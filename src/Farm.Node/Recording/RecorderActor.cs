using Farm.Device.Mmc;
using Farm.Device.Transports;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Actors;
using Farm.Node.Journal;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

/// <summary>
/// One drive: owns its SCSI transport (nobody else touches the handle) and its write pipeline,
/// carries out the copies the controller assigns to it, and persists every step, sector progress
/// included, in the stream "drive-{id}". After a crash (of the actor or the whole node) it replays
/// that stream, reports the burn that was cut short and gets the disc rejected (or, on rewritable
/// media when the job allows it, resumes it). When the supervisor gives up on it, the drive goes
/// to maintenance with an event, so the controller stops assigning to it.
/// </summary>
public sealed partial class RecorderActor : Actor<RecorderActor.Command>
{
    /// <summary>Orders for the drive.</summary>
    public abstract record Command;

    /// <summary>Burn one copy, as the controller decided.</summary>
    public sealed record Burn(CopyAssigned Assignment) : Command;

    /// <summary>Take no copy until <paramref name="Hold"/> is released (<see cref="DriveHolds"/>); a burn in progress finishes first.</summary>
    public sealed record Pause(string Hold, string Why) : Command;

    /// <summary>Release <paramref name="Hold"/>; null releases what an operator may release (the operator's and the drive's holds).</summary>
    public sealed record ResumeDrive(string? Hold, string By) : Command;

    /// <summary>Take the drive out of service (<paramref name="On"/>) or put it back.</summary>
    public sealed record SetMaintenance(bool On, string Why) : Command;

    private readonly RecorderOptions options;
    private readonly Func<CancellationToken, Task<IScsiTransport>> openTransport;
    private readonly TowerActor tower;
    private readonly IJournal journal;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private IScsiTransport? transport;
    private MmcDrive? drive;
    private StreamAppender? stream;
    private RecorderHistory history = RecorderHistory.Empty;
    private RecorderStatus status;

    public RecorderActor(
        RecorderOptions options,
        Func<CancellationToken, Task<IScsiTransport>> openTransport,
        TowerActor tower,
        IJournal journal,
        ActorContext context)
        : base($"drive-{options?.DriveId}", WithGiveUpHandler(context, out var self))
    {
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.openTransport = openTransport ?? throw new ArgumentNullException(nameof(openTransport));
        this.tower = tower ?? throw new ArgumentNullException(nameof(tower));
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        time = context.Time;
        logger = context.Logger;
        status = new RecorderStatus(options.DriveId, RecorderState.Offline, null, 0, -1, 0, 0, null);
        self.Actor = this;
    }

    public string DriveId => options.DriveId;

    public string TowerId => options.TowerId;

    public static string StreamIdOf(string driveId) => $"drive-{driveId}";

    /// <summary>The drive's state, job, LBA, speed and buffer fill; replaced atomically, readable from any thread.</summary>
    public RecorderStatus Current => Volatile.Read(ref status);

    /// <summary>True when this drive already took that attempt (a decision delivered twice runs once).</summary>
    public bool HasTaken(CopyAssigned assignment) =>
        assignment is not null && history.Taken.Contains((assignment.JobId, assignment.Copy, assignment.Attempt));

    protected override async Task StartedAsync(CancellationToken cancellationToken)
    {
        MoveTo(RecorderState.Offline, force: true);
        await CloseTransportAsync().ConfigureAwait(false);
        transport = await openTransport(cancellationToken).ConfigureAwait(false);
        drive = new MmcDrive(transport, time);
        var inquiry = await drive.InquiryAsync(cancellationToken).ConfigureAwait(false);

        var (opened, past) = await StreamAppender.OpenAsync(journal, StreamIdOf(DriveId), "drive", cancellationToken).ConfigureAwait(false);
        stream = opened;
        history = RecorderHistory.Replay(past.Select(e => e.Event));
        await PersistAsync(new DriveCameOnline(DriveId, options.NodeId, options.TowerId, inquiry.Vendor, inquiry.Product), cancellationToken).ConfigureAwait(false);

        if (history.Open is { } open && await RecoverAsync(open, cancellationToken).ConfigureAwait(false))
        {
            return; // resumed: the attempt settled the drive itself
        }

        await SettleAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task StoppedAsync()
    {
        // Release the handle at once, so a restart (or another process) can open the device again.
        await CloseTransportAsync().ConfigureAwait(false);
        if (Current.State is not (RecorderState.Faulted or RecorderState.Maintenance))
        {
            MoveTo(RecorderState.Offline, force: true);
        }
    }

    /// <summary>
    /// A burn the journal shows as unfinished: a disc that verified but never reached its bin still
    /// goes to the output bin; a rewritable disc whose job allows it is resumed; anything else was
    /// interrupted, is reported with the last persisted LBA and goes to the reject bin. True when
    /// the attempt settled the drive itself (it was resumed, or the arm needs an operator).
    /// </summary>
    private async Task<bool> RecoverAsync(OpenAttempt open, CancellationToken cancellationToken)
    {
        if (open.Unloaded)
        {
            return false;
        }

        if (open.Verified && open.DiscId is not null)
        {
            MoveTo(RecorderState.Unloading);
            return !await TryUnloadAsync(open.JobId, open.Copy, open.Attempt, open.DiscId, Bins.Output, null, open.Sha256, cancellationToken).ConfigureAwait(false);
        }

        if (!open.Failed && CanResume(open))
        {
            await ResumeAsync(open, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (!open.Failed)
        {
            LogInterrupted(DriveId, open.JobId, open.Copy, open.Phase, open.LastPersistedLba, open.TotalBlocks);
            await PersistAsync(new DiscInterrupted(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, open.Phase, open.LastPersistedLba, open.TotalBlocks), cancellationToken).ConfigureAwait(false);
        }

        if (open.DiscId is not null)
        {
            MoveTo(RecorderState.Unloading);
            return !await TryUnloadAsync(open.JobId, open.Copy, open.Attempt, open.DiscId, Bins.Reject, $"interrupted while {open.Phase}", null, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>
    /// Has the arm take the disc to a bin and records it. When the tower needs an operator (arm
    /// jammed, bin full) the disc stays in the drive, the drive raises an alert and holds, and
    /// false is returned: releasing the hold tries again (see <see cref="ResumeHoldsAsync"/>).
    /// </summary>
    private async Task<bool> TryUnloadAsync(string jobId, int copy, int attempt, string discId, string bin, string? reason, string? sha256, CancellationToken cancellationToken, string? label = null)
    {
        await EjectIfAskedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await tower.UnloadAsync(DriveId, discId, bin, reason, label, cancellationToken).ConfigureAwait(false);
        }
        catch (Farm.Device.Towers.TowerException stuck) when (stuck.Fault != Farm.Device.Towers.TowerFault.NoSuchDiscOrDrive)
        {
            LogDiscLeftInDrive(DriveId, discId, stuck.Message);
            await NeedOperatorAsync(DriveHolds.Tower, $"TOWER_{stuck.Fault}".ToUpperInvariant(), stuck.Message, cancellationToken).ConfigureAwait(false);
            MoveTo(RecorderState.Paused);
            Observe(s => s with { JobId = null, BufferFill = 0, CurrentBytesPerSecond = 0 });
            return false;
        }

        await PersistAsync(new DiscUnloaded(DriveId, jobId, copy, attempt, discId, bin, sha256), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Opens the tray for a media changer's arm. A drive that refuses (some changers pull the disc
    /// themselves and the drive reports the tray locked by them) is logged, not a failure: the
    /// move that follows says whether the disc could be taken.
    /// </summary>
    private async Task EjectIfAskedAsync(CancellationToken cancellationToken)
    {
        if (!options.EjectBeforeUnload || drive is not { } mmc)
        {
            return;
        }

        try
        {
            await mmc.PreventMediumRemovalAsync(false, cancellationToken).ConfigureAwait(false);
            await mmc.StartStopUnitAsync(loadEject: true, start: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Farm.Device.Errors.DeviceException refused)
        {
            LogEjectRefused(DriveId, refused.Message);
        }
    }

    protected override async Task HandleAsync(Command message, CancellationToken cancellationToken)
    {
        try
        {
            await HandleCommandAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception crash) when (crash is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The supervisor restarts the actor: until then the drive is Faulted.
            LogCrashed(DriveId, Current.State, crash.Message);
            MoveTo(RecorderState.Faulted, force: true);
            throw;
        }
    }

    private async Task HandleCommandAsync(Command message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Burn burn when HasTaken(burn.Assignment):
                LogDuplicate(DriveId, burn.Assignment.JobId, burn.Assignment.Copy, burn.Assignment.Attempt);
                break;
            case Burn burn when Current.State != RecorderState.Idle:
                // Tell the controller at once, or the copy would wait for a drive that will never do it.
                LogRefused(DriveId, burn.Assignment.JobId, burn.Assignment.Copy, Current.State);
                await PersistAsync(new BurnFailed(DriveId, burn.Assignment.JobId, burn.Assignment.Copy, burn.Assignment.Attempt, RefusedPhase, -1,
                    new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, $"drive {DriveId} is {Current.State}, not idle")), cancellationToken).ConfigureAwait(false);
                break;
            case Burn burn:
                await BurnAsync(burn.Assignment, cancellationToken).ConfigureAwait(false);
                break;
            case Pause pause:
                await PauseAsync(pause.Hold, pause.Why, cancellationToken).ConfigureAwait(false);
                break;
            case ResumeDrive resume:
                await ResumeHoldsAsync(resume.Hold, resume.By, cancellationToken).ConfigureAwait(false);
                break;
            case SetMaintenance maintenance:
                await SetMaintenanceAsync(maintenance.On, maintenance.Why, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The phase a refused assignment is reported with: the drive never took it, so it is no failure of the drive.</summary>
    internal const string RefusedPhase = BurnFailed.RefusedPhase;

    private async Task PersistAsync(IFarmEvent farmEvent, CancellationToken cancellationToken)
    {
        var writer = stream ?? throw new InvalidOperationException($"drive {DriveId} has not started");
        await writer.AppendAsync(farmEvent, cancellationToken).ConfigureAwait(false);
        history = RecorderHistory.Apply(history, farmEvent);
        if (farmEvent is DrivePaused or DriveResumed)
        {
            // Only between discs: while writing, the persister's appends must not touch the status.
            Observe(s => s with { Holds = [.. history.Holds.Keys] });
        }
    }

    private void MoveTo(RecorderState next, bool force = false)
    {
        var current = Current;
        if (!force && current.State != next && !RecorderTransitions.IsAllowed(current.State, next))
        {
            throw new InvalidOperationException($"drive {DriveId}: {current.State} -> {next} is not an allowed transition");
        }

        Volatile.Write(ref status, current with { State = next });
    }

    private void Observe(Func<RecorderStatus, RecorderStatus> change) => Volatile.Write(ref status, change(Current));

    private async Task CloseTransportAsync()
    {
        drive = null;
        if (transport is { } open)
        {
            transport = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} was interrupted while {Phase} at LBA {Lba} of {Total}")]
    private partial void LogInterrupted(string driveId, string jobId, int copy, string phase, long lba, long total);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Drive {DriveId}: job {JobId} copy {Copy} attempt {Attempt} was already taken; ignored")]
    private partial void LogDuplicate(string driveId, string jobId, int copy, int attempt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Drive {DriveId}: refused job {JobId} copy {Copy} while {State}")]
    private partial void LogRefused(string driveId, string jobId, int copy, RecorderState state);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Drive {DriveId}: the tray did not open for the arm: {Reason}")]
    private partial void LogEjectRefused(string driveId, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Drive {DriveId} crashed while {State}: {Reason}")]
    private partial void LogCrashed(string driveId, RecorderState state, string reason);
}
