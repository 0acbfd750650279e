using Akka.Actor;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Node.Images;
using Farm.Node.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

/// <summary>
/// The work of one <see cref="BurnEpisode"/>, run by a <see cref="BurnWorker"/> off the recorder's
/// mailbox: the tower loads a blank, the data writer writes, the verifier reads back, the tower bins
/// the disc. Every step's event is persisted by the recorder (asked, and awaited, so what recovery
/// depends on is in the journal before the next step); the drive's status is published to the
/// recorder as it changes. Nothing here touches the recorder's state directly.
/// </summary>
internal sealed partial class BurnAttempt
{
    /// <summary>How long a step waits for the recorder to persist its event before the attempt is counted as crashed.</summary>
    private static readonly TimeSpan PersistPatience = TimeSpan.FromSeconds(30);

    private readonly RecorderOptions _options;
    private readonly IActorRef _recorder;
    private readonly IActorRef _tower;
    private readonly MmcDrive? _drive;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    /// <summary>How often a WRITE's live figures reach the recorder (<see cref="ObserveProgress"/>).</summary>
    private static readonly TimeSpan ProgressTellInterval = TimeSpan.FromMilliseconds(100);

    private RecorderHistory _history;
    private RecorderStatus _status;
    private long _lastProgressTell;

    public BurnAttempt(RecorderOptions options, IActorRef recorder, IActorRef tower, MmcDrive? drive, RecorderHistory history, RecorderStatus status, TimeProvider time, ILogger logger)
    {
        _options = options;
        _recorder = recorder;
        _tower = tower;
        _drive = drive;
        _history = history;
        _status = status;
        _time = time;
        _logger = logger;
    }

    /// <summary>The node's shared image reads; null: the burn reads its image on its own.</summary>
    public SharedImageCache? Images { get; init; }

    /// <summary>The node's cache of images fetched from the controllers; null: every image must be readable at its path.</summary>
    public ImageStore? Fetched { get; init; }

    private string DriveId => _options.DriveId;

    internal RecorderStatus Current => Volatile.Read(ref _status);

    /// <summary>Carries out the episode; true when the recorder should settle the drive afterwards (idle, or paused while a hold stands).</summary>
    public async Task<bool> RunAsync(BurnEpisode episode, CancellationToken shutdown)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return episode switch
        {
            BurnEpisode.NewBurn burn => await RunAttemptAsync(burn.Attempt, discId: null, resumeFromLba: null, shutdown).ConfigureAwait(false),
            BurnEpisode.Recover recover => !await RecoverAsync(recover.Open, shutdown).ConfigureAwait(false),
            BurnEpisode.GiveUp giveUp => await GiveUpAsync(giveUp, shutdown).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(episode), episode, "an episode this worker does not know"),
        };
    }

    private string? LabelOf(OpenAttempt open, string discId) =>
        open.Label is null ? null : LabelTemplate.Merge(open.Label, open.JobId, open.Copy, DriveId, discId, _time.GetUtcNow());

    private MmcDrive Mmc => _drive ?? throw new InvalidOperationException($"drive {DriveId}: no device handle for this episode");

    /// <summary>
    /// A burn the journal shows as unfinished: a verified disc that never reached its bin goes where
    /// the controller's answer sends it (asked now if the journal holds no answer yet: the node may
    /// have been declared lost meanwhile and the copy re-queued); a rewritable disc whose job allows
    /// it is resumed; anything else was interrupted, is reported with the last persisted LBA and goes
    /// to the reject bin. True when the attempt settled the drive itself (it was resumed, or the arm needs an operator).
    /// </summary>
    private async Task<bool> RecoverAsync(OpenAttempt open, CancellationToken cancellationToken)
    {
        if (open.Unloaded)
        {
            return false;
        }

        // The tower recovers beside the drive: wait until it has (a simulated tower puts the disc
        // its journal left in this drive back), or a resume would find no disc to write to.
        await TowerClient.ReadyAsync(_tower, cancellationToken).ConfigureAwait(false);

        if (open is { Counted: { } counted, DiscId: { } answeredDisc })
        {
            return !await UnloadAnsweredAsync(new DiscCountAnswered(DriveId, open.JobId, open.Copy, open.Attempt, answeredDisc, counted, open.NotCountedWhy), open.Sha256, cancellationToken, LabelOf(open, answeredDisc)).ConfigureAwait(false);
        }

        if (open is { Verified: true, Failed: false, DiscId: { } verifiedDisc })
        {
            MoveTo(RecorderState.Unloading);
            var answered = await ClaimAsync(open.JobId, open.Copy, open.Attempt, verifiedDisc, open.Sha256, cancellationToken).ConfigureAwait(false);
            return !await UnloadAnsweredAsync(answered, open.Sha256, cancellationToken, LabelOf(open, verifiedDisc)).ConfigureAwait(false);
        }

        if (!open.Failed && CanResume(open))
        {
            return !await ResumeAsync(open, cancellationToken).ConfigureAwait(false);
        }

        if (!open.Failed)
        {
            LogInterrupted(DriveId, open.JobId, open.Copy, open.Phase, open.LastPersistedLba, open.TotalBlocks);
            await PersistAsync(new DiscInterrupted(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, open.Phase, open.LastPersistedLba, open.TotalBlocks)).ConfigureAwait(false);
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
    /// false is returned: releasing the hold tries again (the recorder recovers the open attempt).
    /// </summary>
    private async Task<bool> TryUnloadAsync(string jobId, int copy, int attempt, string discId, string bin, string? reason, string? sha256, CancellationToken cancellationToken, string? label = null)
    {
        await EjectIfAskedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await TowerClient.UnloadAsync(_tower, DriveId, discId, bin, reason, label, cancellationToken).ConfigureAwait(false);
        }
        catch (TowerException stuck) when (stuck.Fault != TowerFault.NoSuchDiscOrDrive)
        {
            LogDiscLeftInDrive(DriveId, discId, stuck.Message);
            await NeedOperatorAsync(DriveHolds.Tower, $"TOWER_{stuck.Fault}".ToUpperInvariant(), stuck.Message).ConfigureAwait(false);
            MoveTo(RecorderState.Paused);
            Observe(s => s with { JobId = null, BufferFill = 0, DriveBufferFill = null, CurrentBytesPerSecond = 0 });
            return false;
        }

        await PersistAsync(new DiscUnloaded(DriveId, jobId, copy, attempt, discId, bin, sha256)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Opens the tray for a media changer's arm. A drive that refuses (some changers pull the disc
    /// themselves and the drive reports the tray locked by them) is logged, not a failure: the
    /// move that follows says whether the disc could be taken.
    /// </summary>
    private async Task EjectIfAskedAsync(CancellationToken cancellationToken)
    {
        if (!_options.EjectBeforeUnload || _drive is not { } mmc)
        {
            return;
        }

        try
        {
            await mmc.PreventMediumRemovalAsync(false, cancellationToken).ConfigureAwait(false);
            await mmc.StartStopUnitAsync(loadEject: true, start: false, cancellationToken).ConfigureAwait(false);
        }
        catch (DeviceException refused)
        {
            LogEjectRefused(DriveId, refused.Message);
        }
    }

    /// <summary>
    /// After the last restart the supervisor allows: the copy in progress (if any) is reported
    /// interrupted so the controller re-queues it, its disc goes to the reject bin if the arm can
    /// still take it, and the drive enters maintenance so the controller stops assigning to it.
    /// </summary>
    private async Task<bool> GiveUpAsync(BurnEpisode.GiveUp giveUp, CancellationToken shutdown)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        patience.CancelAfter(_options.GiveUpPatience);
        var token = patience.Token;
        if (_history.Open is { Unloaded: false } open)
        {
            if (!open.Failed)
            {
                LogInterrupted(DriveId, open.JobId, open.Copy, open.Phase, open.LastPersistedLba, open.TotalBlocks);
                await PersistAsync(new DiscInterrupted(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, open.Phase, open.LastPersistedLba, open.TotalBlocks)).ConfigureAwait(false);
            }

            if (open.DiscId is not null)
            {
                try
                {
                    await TowerClient.UnloadAsync(_tower, DriveId, open.DiscId, Bins.Reject, "the drive was taken out of service", null, token).ConfigureAwait(false);
                    await PersistAsync(new DiscUnloaded(DriveId, open.JobId, open.Copy, open.Attempt, open.DiscId, Bins.Reject, null)).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Best effort: a disc the arm cannot take stays for the operator, and the drive must still reach maintenance.
                catch (Exception stuck)
#pragma warning restore CA1031
                {
                    LogDiscLeftInDrive(DriveId, open.DiscId, stuck.Message);
                }
            }
        }

        var why = $"the supervisor gave up after {giveUp.Restarts} restarts; last failure: {giveUp.LastFailure}";
        await PersistAsync(new DriveEnteredMaintenance(DriveId, why)).ConfigureAwait(false);
        MoveTo(RecorderState.Maintenance, force: true);
        Observe(s => s with { JobId = null, LastError = why, BufferFill = 0, DriveBufferFill = null, CurrentBytesPerSecond = 0 });
        LogGaveUp(DriveId, why);
        return false;
    }

    /// <summary>A device or tower error a person must deal with: an alert, and the drive holds until it is cleared.</summary>
    private async Task NeedOperatorAsync(string hold, string alert, string message)
    {
        await PersistAsync(new DriveAlertRaised(DriveId, alert, message)).ConfigureAwait(false);
        if (!_history.Holds.ContainsKey(hold))
        {
            await PersistAsync(new DrivePaused(DriveId, hold, message)).ConfigureAwait(false);
            LogPaused(DriveId, hold, message);
        }
    }

    /// <summary>Has the recorder persist the event and waits until it is in the journal; the history comes back with it.</summary>
    private async Task PersistAsync(IFarmEvent farmEvent)
    {
        var persisted = await _recorder.Ask<BurnWorker.StepPersisted>(new BurnWorker.PersistStep(farmEvent), PersistPatience).ConfigureAwait(false);
        _history = persisted.History;
    }

    private void MoveTo(RecorderState next, bool force = false)
    {
        var current = Current;
        if (!force && current.State != next && !RecorderTransitions.IsAllowed(current.State, next))
        {
            throw new InvalidOperationException($"drive {DriveId}: {current.State} -> {next} is not an allowed transition");
        }

        Publish(current with { State = next });
    }

    private void Observe(Func<RecorderStatus, RecorderStatus> change) => Publish(change(Current));

    /// <summary>
    /// The live figures of a WRITE: kept at once, told to the recorder at most every
    /// <see cref="ProgressTellInterval"/>. A message per WRITE was 35,000 a second for 32 BD 16x
    /// drives (64 KiB each), CPU the WRITE streams need; the recorder passes the figures on once a
    /// second, and every state change (<see cref="MoveTo"/>) still carries the latest ones at once.
    /// </summary>
    private void ObserveProgress(Func<RecorderStatus, RecorderStatus> change)
    {
        var next = change(Current);
        Volatile.Write(ref _status, next);
        var now = _time.GetTimestamp();
        if (_lastProgressTell == 0 || _time.GetElapsedTime(_lastProgressTell, now) >= ProgressTellInterval)
        {
            _lastProgressTell = now;
            _recorder.Tell(new BurnWorker.StatusChanged(next));
        }
    }

    private void Publish(RecorderStatus next)
    {
        Volatile.Write(ref _status, next);
        _recorder.Tell(new BurnWorker.StatusChanged(next));
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "Drive {DriveId}: job {JobId} copy {Copy} was interrupted while {Phase} at LBA {Lba} of {Total}")]
    private partial void LogInterrupted(string driveId, string jobId, int copy, string phase, long lba, long total);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Drive {DriveId}: the tray did not open for the arm: {Reason}")]
    private partial void LogEjectRefused(string driveId, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Error, Message = "Drive {DriveId} is in maintenance: {Why}")]
    private partial void LogGaveUp(string driveId, string why);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Drive {DriveId}: disc {DiscId} stays in the drive: {Reason}")]
    private partial void LogDiscLeftInDrive(string driveId, string discId, string reason);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Drive {DriveId} paused ({Hold}): {Why}")]
    private partial void LogPaused(string driveId, string hold, string why);
}
