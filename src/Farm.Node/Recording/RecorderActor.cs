using Farm.Device.Errors;
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
/// that stream, reports the burn that was cut short and gets the disc rejected.
/// </summary>
public sealed partial class RecorderActor : Actor<RecorderActor.Command>
{
    /// <summary>Orders for the drive.</summary>
    public abstract record Command;

    /// <summary>Burn one copy, as the controller decided.</summary>
    public sealed record Burn(CopyAssigned Assignment) : Command;

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
        : base($"drive-{options?.DriveId}", context)
    {
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.openTransport = openTransport ?? throw new ArgumentNullException(nameof(openTransport));
        this.tower = tower ?? throw new ArgumentNullException(nameof(tower));
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        time = context.Time;
        logger = context.Logger;
        status = new RecorderStatus(options.DriveId, RecorderState.Offline, null, 0, -1, 0, 0, null);
    }

    public string DriveId => options.DriveId;

    public static string StreamIdOf(string driveId) => $"drive-{driveId}";

    /// <summary>The drive's state, job, LBA and speed; replaced atomically, readable from any thread.</summary>
    public RecorderStatus Current => Volatile.Read(ref status);

    /// <summary>True when this drive already took that attempt (a decision delivered twice runs once).</summary>
    public bool HasTaken(CopyAssigned assignment) =>
        assignment is not null && history.Taken.Contains((assignment.JobId, assignment.Copy, assignment.Attempt));

    protected override async Task StartedAsync(CancellationToken cancellationToken)
    {
        MoveTo(RecorderState.Offline, force: true);
        if (transport is not null)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            transport = null;
        }

        transport = await openTransport(cancellationToken).ConfigureAwait(false);
        drive = new MmcDrive(transport, time);
        var inquiry = await drive.InquiryAsync(cancellationToken).ConfigureAwait(false);

        var (opened, past) = await StreamAppender.OpenAsync(journal, StreamIdOf(DriveId), "drive", cancellationToken).ConfigureAwait(false);
        stream = opened;
        history = RecorderHistory.Replay(past.Select(e => e.Event));
        await PersistAsync(new DriveCameOnline(DriveId, options.NodeId, options.TowerId, inquiry.Vendor, inquiry.Product), cancellationToken).ConfigureAwait(false);

        if (history.Open is { } open)
        {
            await RecoverAsync(open, cancellationToken).ConfigureAwait(false);
        }

        if (history.InMaintenance)
        {
            MoveTo(RecorderState.Maintenance);
            return;
        }

        await PersistAsync(new DriveIdle(DriveId), cancellationToken).ConfigureAwait(false);
        MoveTo(RecorderState.Idle);
    }

    /// <summary>
    /// A burn the journal shows as unfinished: a disc that verified but never reached its bin still
    /// goes to the output bin; anything else was interrupted, is reported with the last persisted
    /// LBA and goes to the reject bin (write-once media cannot be resumed).
    /// </summary>
    private async Task RecoverAsync(OpenAttempt open, CancellationToken cancellationToken)
    {
        if (open.Unloaded)
        {
            return;
        }

        if (open.Verified && open.DiscId is not null)
        {
            MoveTo(RecorderState.Unloading);
            await tower.UnloadAsync(DriveId, open.DiscId, Bins.Output, null, cancellationToken).ConfigureAwait(false);
            await PersistAsync(new DiscUnloaded(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, Bins.Output, open.Sha256), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!open.Failed)
        {
            LogInterrupted(DriveId, open.JobId, open.Copy, open.Phase, open.LastPersistedLba, open.TotalBlocks);
            await PersistAsync(new DiscInterrupted(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, open.Phase, open.LastPersistedLba, open.TotalBlocks), cancellationToken).ConfigureAwait(false);
        }

        if (open.DiscId is not null)
        {
            MoveTo(RecorderState.Unloading);
            await tower.UnloadAsync(DriveId, open.DiscId, Bins.Reject, $"interrupted while {open.Phase}", cancellationToken).ConfigureAwait(false);
            await PersistAsync(new DiscUnloaded(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, Bins.Reject, null), cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task HandleAsync(Command message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case Burn burn when HasTaken(burn.Assignment):
                LogDuplicate(DriveId, burn.Assignment.JobId, burn.Assignment.Copy, burn.Assignment.Attempt);
                break;
            case Burn burn when Current.State != RecorderState.Idle:
                // Tell the controller at once, or the copy would wait for a drive that will never do it.
                LogRefused(DriveId, burn.Assignment.JobId, burn.Assignment.Copy, Current.State);
                await PersistAsync(new BurnFailed(DriveId, burn.Assignment.JobId, burn.Assignment.Copy, burn.Assignment.Attempt, "Refused", -1,
                    new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, $"drive {DriveId} is {Current.State}, not idle")), cancellationToken).ConfigureAwait(false);
                break;
            case Burn burn:
                await BurnAsync(burn.Assignment, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task PersistAsync(IFarmEvent farmEvent, CancellationToken cancellationToken)
    {
        var writer = stream ?? throw new InvalidOperationException($"drive {DriveId} has not started");
        await writer.AppendAsync(farmEvent, cancellationToken).ConfigureAwait(false);
        history = RecorderHistory.Apply(history, farmEvent);
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

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} was interrupted while {Phase} at LBA {Lba} of {Total}")]
    private partial void LogInterrupted(string driveId, string jobId, int copy, string phase, long lba, long total);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Drive {DriveId}: job {JobId} copy {Copy} attempt {Attempt} was already taken; ignored")]
    private partial void LogDuplicate(string driveId, string jobId, int copy, int attempt);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Drive {DriveId}: refused job {JobId} copy {Copy} while {State}")]
    private partial void LogRefused(string driveId, string jobId, int copy, RecorderState state);
}
