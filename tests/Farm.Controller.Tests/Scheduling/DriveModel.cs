using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// One drive of <see cref="FarmModel"/>, behaving as RecorderActor does towards the controller: what
/// it persists (and so reports, in order) for each order and step, and what it says after a restart.
/// </summary>
internal sealed class DriveModel(string driveId, string nodeId, string towerId)
{
    /// <summary>Steps of a burn after the drive accepted it: loaded, writing, finished, verified, answered.</summary>
    private const int Loaded = 1, Writing = 2, Finished = 3, Verified = 4, Answered = 5;

    private readonly HashSet<(string JobId, int Copy, int Attempt)> _taken = [];
    private readonly List<(long SequenceNr, IFarmEvent Event)> _journal = [];
    private OpenBurn? _open;
    private bool _paused;
    private bool _maintenance;
    private int _discs;

    public string DriveId { get; } = driveId;

    public string NodeId { get; } = nodeId;

    public string TowerId { get; } = towerId;

    /// <summary>Orders in transit to this drive, oldest first.</summary>
    public Queue<CopyAssigned> Inbox { get; } = new();

    /// <summary>What its status says now (a registration's drive beat).</summary>
    public string StateName => _open is not null ? "Writing" : _maintenance ? "Maintenance" : _paused ? "Paused" : "Idle";

    private string SourceId => $"drive-{DriveId}";

    /// <summary>Persisted, so reported: into the node's outbox with the next sequence number of this drive.</summary>
    public void Persist(FarmModel farm, IFarmEvent farmEvent)
    {
        _journal.Add((_journal.Count + 1, farmEvent));
        farm.Report(NodeId, SourceId, farmEvent, _journal.Count);
    }

    public void Deliver(FarmModel farm)
    {
        if (Inbox.Count == 0 || _open is not null)
        {
            return; // a busy drive keeps orders waiting (stashed) until its burn ends
        }

        var order = Inbox.Dequeue();
        if (_taken.Contains((order.JobId, order.Copy, order.Attempt)))
        {
            return;
        }

        if (_paused || _maintenance)
        {
            Persist(farm, new BurnFailed(DriveId, order.JobId, order.Copy, order.Attempt, BurnFailed.RefusedPhase, -1,
                new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, $"drive {DriveId} is not idle")));
            return;
        }

        _taken.Add((order.JobId, order.Copy, order.Attempt));
        _open = new OpenBurn(order.JobId, order.Copy, order.Attempt, 0, null, null);
        Persist(farm, new BurnAssigned(DriveId, order.JobId, order.Copy, order.Attempt, order.ImageBlocks));
    }

    public void Advance(FarmModel farm)
    {
        if (_open is not { } burn)
        {
            return;
        }

        switch (burn.Step)
        {
            case 0:
                var disc = $"{TowerId}-{++_discs:00000}";
                Persist(farm, new DiscLoaded(DriveId, burn.JobId, burn.Copy, disc, "DVD+R"));
                _open = burn with { Step = Loaded, DiscId = disc };
                break;
            case Loaded:
                Persist(farm, new BurnStarted(DriveId, burn.JobId, burn.Copy, burn.DiscId!, 0, 1000));
                _open = burn with { Step = Writing };
                break;
            case Writing:
                Persist(farm, new BurnFinished(DriveId, burn.JobId, burn.Copy, 1000, TimeSpan.FromMinutes(5)));
                _open = burn with { Step = Finished };
                break;
            case Finished:
                Persist(farm, new DiscVerified(DriveId, burn.JobId, burn.Copy, "abc", TimeSpan.FromMinutes(5)));
                _open = burn with { Step = Verified };
                break;
            case Verified:
                ClaimAndAnswer(farm, burn);
                break;
            case Answered:
                Persist(farm, new DiscUnloaded(DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.DiscId!, burn.Counted == true ? Bins.Output : Bins.Reject, burn.Counted == true ? "abc" : null));
                Settle(farm);
                break;
        }
    }

    public void Fail(FarmModel farm)
    {
        if (_open is not { Step: < Verified } burn)
        {
            return;
        }

        Persist(farm, new BurnFailed(DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.Step == 0 ? "Loading" : "Writing", -1,
            new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "underrun")));
        if (burn.DiscId is not null)
        {
            Persist(farm, new DiscUnloaded(DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.DiscId, Bins.Reject, null));
        }

        Settle(farm);
    }

    public void Pause(FarmModel farm)
    {
        if (_open is null && !_paused)
        {
            _paused = true;
            Persist(farm, new DrivePaused(DriveId, DriveHolds.Operator, "operator pause"));
        }
    }

    public void Resume(FarmModel farm)
    {
        if (_open is null && _paused)
        {
            _paused = false;
            Persist(farm, new DriveResumed(DriveId, DriveHolds.Operator, "operator"));
            Settle(farm);
        }
    }

    public void EnterMaintenance(FarmModel farm)
    {
        if (_open is null && !_maintenance)
        {
            _maintenance = true;
            Persist(farm, new DriveEnteredMaintenance(DriveId, "operator"));
        }
    }

    public void LeaveMaintenance(FarmModel farm)
    {
        if (_open is null && _maintenance)
        {
            _maintenance = false;
            Persist(farm, new DriveLeftMaintenance(DriveId, "operator"));
            if (_paused)
            {
                Persist(farm, new DrivePaused(DriveId, DriveHolds.Operator, "operator pause")); // said again, as RecorderActor does
            }

            Settle(farm);
        }
    }

    /// <summary>
    /// The process died: orders in transit are lost; the recorder sends its journal again, comes
    /// online, and finishes what its journal left open (a verified disc is claimed again or binned
    /// as answered; anything else is reported interrupted and rejected), then settles.
    /// </summary>
    public void Restart(FarmModel farm)
    {
        Inbox.Clear();
        foreach (var (sequenceNr, farmEvent) in _journal)
        {
            farm.Report(NodeId, SourceId, farmEvent, sequenceNr);
        }

        Persist(farm, new DriveCameOnline(DriveId, NodeId, TowerId, "SIM", "DRIVE"));
        if (_open is not { } burn)
        {
            Settle(farm);
            return;
        }

        switch (burn.Step)
        {
            case Verified:
                ClaimAndAnswer(farm, burn);
                Advance(farm);
                break;
            case Answered:
                Advance(farm);
                break;
            default:
                Persist(farm, new DiscInterrupted(DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.DiscId, burn.Step == 0 ? "Loading" : "Writing", -1, 1000));
                if (burn.DiscId is not null)
                {
                    Persist(farm, new DiscUnloaded(DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.DiscId, Bins.Reject, null));
                }

                Settle(farm);
                break;
        }
    }

    private void ClaimAndAnswer(FarmModel farm, OpenBurn burn)
    {
        var counted = farm.Claim(new VerifiedDiscClaim(NodeId, DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.DiscId!, "abc"));
        Persist(farm, new DiscCountAnswered(DriveId, burn.JobId, burn.Copy, burn.Attempt, burn.DiscId!, counted, counted ? null : "refused"));
        _open = burn with { Step = Answered, Counted = counted };
    }

    /// <summary>After a burn or a start: idle unless in maintenance or held.</summary>
    private void Settle(FarmModel farm)
    {
        _open = null;
        if (!_maintenance && !_paused)
        {
            Persist(farm, new DriveIdle(DriveId));
        }
    }

    private sealed record OpenBurn(string JobId, int Copy, int Attempt, int Step, string? DiscId, bool? Counted);
}
