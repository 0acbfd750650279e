using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>What can happen next in the model farm; <see cref="FarmModel.Run"/> skips a step that cannot happen in the state it meets.</summary>
public enum ModelStepKind
{
    /// <summary>The oldest order in transit reaches its drive (an idle drive takes it, a paused one or one in maintenance refuses it; a busy one keeps it waiting).</summary>
    Deliver,

    /// <summary>The oldest order in transit to a drive is lost (remote messages are at most once).</summary>
    Drop,

    /// <summary>The drive's burn takes its next step (load, write, finish, verify, claim, bin and settle).</summary>
    Advance,

    /// <summary>The drive's burn fails where it is (its disc, if any, to the reject bin).</summary>
    Fail,

    Pause,
    Resume,
    EnterMaintenance,
    LeaveMaintenance,

    /// <summary>Reports waiting in a node's outbox reach the controller (up to the step's choice of them).</summary>
    FlushReports,

    /// <summary>The node's process dies and starts again at the same address; the controller never declared it lost.</summary>
    RestartNode,

    /// <summary>The node's process dies; the controller declares it lost; it starts again and joins with its drives' states.</summary>
    LoseAndRestartNode,

    /// <summary>The controller's tick: unaccepted assignments sent again.</summary>
    Tick,

    /// <summary>An operator submits another job (copies, priority and due time from the step's choice).</summary>
    SubmitJob,

    /// <summary>An operator cancels a job (with abort on an even choice).</summary>
    CancelJob,

    HoldJob,
    ResumeJob,

    /// <summary>The drive's tower reports as many blanks as the step's choice (none stops its drives being given work).</summary>
    TowerBlanks,
}

/// <summary>One step: what happens, to which drive (or its node), and a free choice the step may use.</summary>
public sealed record ModelStep(ModelStepKind Kind, int Drive, int Choice);

/// <summary>
/// A farm of two nodes with two drives each, as the controller sees it and as its nodes behave:
/// the controller is the real <see cref="FarmProjection"/>, <see cref="Scheduler"/> and
/// <see cref="VerifiedDiscClaims"/> (events and the decisions on them applied together, as
/// one journal write); each drive is a small model of RecorderActor (it takes an order only when
/// idle, refuses it when paused or in maintenance, keeps it waiting while busy; pauses and
/// maintenance only between burns; after a restart reports its interrupted burn, claims its
/// verified disc again, and settles), reporting through an outbox in its persisted order, each
/// report with its source's sequence number (a restart sends them all again). The ledger the
/// chaos test keeps (<c>ChaosInvariants.AssertNoDriveHeldTwoCopies</c>) is checked at every decision and
/// after every step: no drive given a copy, and no drive idle, while an attempt is undecided on it.
/// </summary>
public sealed class FarmModel
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private readonly SchedulerOptions _options;
    private readonly bool _checkedAgainstFullScan;
    private readonly List<DriveModel> _drives = [];
    private readonly List<string> _jobs = [];
    private readonly Dictionary<string, long> _towerReports = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeReport>> _outboxes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string JobId, int Copy, int Attempt)> _undecided = new(StringComparer.Ordinal);
    private readonly List<string> _log = [];
    private long _ordering;

    /// <param name="options">The scheduler's policy (default: attempts and failures never run out).</param>
    /// <param name="checkedAgainstFullScan">
    /// Every decision pass, and every resend, is also taken by <see cref="FullScanScheduler"/> (the
    /// scheduler before its index) and must be the same events in the same order.
    /// </param>
    public FarmModel(SchedulerOptions? options = null, bool checkedAgainstFullScan = false)
    {
        _options = options ?? new SchedulerOptions { MaxAttemptsPerCopy = 1_000, MaintenanceAfterFailures = 1_000 };
        _checkedAgainstFullScan = checkedAgainstFullScan;
        foreach (var (nodeId, tower, drives) in new[] { ("n1", "T1", new[] { "D1", "D2" }), ("n2", "T2", new[] { "D3", "D4" }) })
        {
            _outboxes[nodeId] = [];
            Write([new NodeJoined(nodeId, $"akka.tcp://farm@{nodeId}:4053", Now, [])]);
            ReportTower(nodeId, tower, 1_000);
            foreach (var driveId in drives)
            {
                var drive = new DriveModel(driveId, nodeId, tower);
                _drives.Add(drive);
                drive.Persist(this, new DriveCameOnline(driveId, nodeId, tower, "SIM", "DRIVE"));
                drive.Persist(this, new DriveIdle(driveId));
            }

            Flush(nodeId, int.MaxValue);
        }

        Submit(new JobSubmitted("J1", "/images/release.iso", 1000, 6, VerifyMode.Full, "DVD+R", 0, Now));
    }

    public FarmState State { get; private set; } = FarmState.Empty;

    /// <summary>What happened, step by step (the failure message of a broken invariant carries it).</summary>
    public IReadOnlyList<string> Log => _log;

    public void Run(IEnumerable<ModelStep> steps)
    {
        foreach (var step in steps)
        {
            var drive = _drives[step.Drive % _drives.Count];
            _log.Add($"{step.Kind} {drive.DriveId} ({step.Choice})");
            switch (step.Kind)
            {
                case ModelStepKind.Deliver:
                    drive.Deliver(this);
                    break;
                case ModelStepKind.Drop when drive.Inbox.Count > 0:
                    drive.Inbox.Dequeue();
                    break;
                case ModelStepKind.Advance:
                    drive.Advance(this);
                    break;
                case ModelStepKind.Fail:
                    drive.Fail(this);
                    break;
                case ModelStepKind.Pause:
                    drive.Pause(this);
                    break;
                case ModelStepKind.Resume:
                    drive.Resume(this);
                    break;
                case ModelStepKind.EnterMaintenance:
                    drive.EnterMaintenance(this);
                    break;
                case ModelStepKind.LeaveMaintenance:
                    drive.LeaveMaintenance(this);
                    break;
                case ModelStepKind.FlushReports:
                    Flush(drive.NodeId, 1 + step.Choice);
                    break;
                case ModelStepKind.RestartNode:
                    Restart(drive.NodeId, lost: false, offlineBeats: false);
                    break;
                case ModelStepKind.LoseAndRestartNode:
                    Restart(drive.NodeId, lost: true, offlineBeats: step.Choice % 2 == 0);
                    break;
                case ModelStepKind.Tick:
                    foreach (var nodeId in _outboxes.Keys)
                    {
                        Send(Unaccepted(nodeId));
                    }

                    break;
                case ModelStepKind.SubmitJob when _jobs.Count < 6:
                    Submit(new JobSubmitted($"J{_jobs.Count + 1}", "/images/release.iso", 1000, 1 + step.Choice % 3, VerifyMode.Full, "DVD+R", step.Choice % 3 - 1, Now.AddMinutes(_jobs.Count))
                    {
                        DueAt = step.Choice % 2 == 0 ? Now.AddHours(step.Choice) : null,
                    });
                    break;
                case ModelStepKind.CancelJob:
                    Write([new JobCancelled(_jobs[step.Choice % _jobs.Count], step.Choice % 2 == 0, "operator", Now)]);
                    break;
                case ModelStepKind.HoldJob:
                    Write([new JobHeld(_jobs[step.Choice % _jobs.Count], "operator", Now)]);
                    break;
                case ModelStepKind.ResumeJob:
                    Write([new JobResumed(_jobs[step.Choice % _jobs.Count], Now)]);
                    break;
                case ModelStepKind.TowerBlanks:
                    ReportTower(drive.NodeId, drive.TowerId, step.Choice);
                    break;
            }

            if (_checkedAgainstFullScan)
            {
                Assert.True(ReferenceEquals(State.Index, State.Index), Broken("the state's index was not kept by the projection (it is built again on every look)"));
                Assert.Equal(FarmIndexText.Of(FarmIndex.Build(State)), FarmIndexText.Of(State.Index));
            }

            foreach (var idle in State.Drives.Values.Where(d => d.Status == DriveStatus.Idle))
            {
                Assert.False(_undecided.TryGetValue(idle.DriveId, out var held), Broken($"drive {idle.DriveId} is idle while copy {held.Copy} (attempt {held.Attempt}) is undecided on it"));
            }
        }
    }

    /// <summary>A drive's persisted event into its node's outbox, with its source's next sequence number.</summary>
    internal void Report(string nodeId, string sourceId, IFarmEvent farmEvent, long sequenceNr) =>
        _outboxes[nodeId].Add(new NodeReport(nodeId, sourceId, sequenceNr, farmEvent));

    private void Submit(JobSubmitted job)
    {
        _jobs.Add(job.JobId);
        Write([job]);
    }

    /// <summary>The tower's bins into its node's outbox, with its source's next sequence number.</summary>
    private void ReportTower(string nodeId, string towerId, int blanks)
    {
        var sequenceNr = _towerReports[towerId] = _towerReports.GetValueOrDefault(towerId) + 1;
        Report(nodeId, $"tower-{towerId}", new TowerBinsReported(towerId, blanks, "DVD+R", 0, 0), sequenceNr);
    }

    /// <summary>What the controller sends the node again; checked against the full scan when asked.</summary>
    private List<CopyAssigned> Unaccepted(string nodeId)
    {
        var orders = Scheduler.Unaccepted(State, nodeId).ToList();
        if (_checkedAgainstFullScan)
        {
            Assert.True(FullScanScheduler.Unaccepted(State, nodeId).SequenceEqual(orders), Broken($"the assignments resent to {nodeId} differ from the full scan's"));
            Assert.True(FullScanScheduler.AbortsInFlight(State, nodeId).SequenceEqual(Scheduler.AbortsInFlight(State, nodeId)), Broken($"the aborts resent to {nodeId} differ from the full scan's"));
        }

        return orders;
    }

    /// <summary>One decision pass; checked against the full scan when asked.</summary>
    private IReadOnlyList<IFarmEvent> Decide()
    {
        var decisions = Scheduler.Decide(State, _options, Now, Now.AddHours(-1));
        if (_checkedAgainstFullScan)
        {
            var expected = FullScanScheduler.Decide(State, _options, Now, Now.AddHours(-1));
            Assert.True(expected.SequenceEqual(decisions), Broken($"the scheduler decided [{string.Join(", ", decisions)}] where the full scan decides [{string.Join(", ", expected)}]"));
        }

        return decisions;
    }

    /// <summary>The controller judges a claim for a verified disc (persisting CopyVerified first when it counts).</summary>
    internal bool Claim(VerifiedDiscClaim claim)
    {
        var (verdict, _) = VerifiedDiscClaims.Judge(State, claim);
        if (verdict == ClaimVerdict.Count)
        {
            Write([new CopyVerified(claim.JobId, claim.Copy, claim.Attempt, claim.DriveId, claim.Sha256 ?? "", claim.DiscId)]);
        }

        return verdict is ClaimVerdict.Count or ClaimVerdict.CountedAlready;
    }

    private void Flush(string nodeId, int count)
    {
        var outbox = _outboxes[nodeId];
        var taken = outbox.Take(count).ToList();
        outbox.RemoveRange(0, taken.Count);
        if (taken.Count > 0)
        {
            Write([.. taken.Select(r => (IFarmEvent)new NodeReported(r.NodeId, r.SourceId, r.SequenceNr, r.Event, Now))]);
        }
    }

    private void Restart(string nodeId, bool lost, bool offlineBeats)
    {
        var drives = _drives.Where(d => d.NodeId == nodeId).ToList();
        _outboxes[nodeId].Clear();
        if (lost)
        {
            Write([new NodeLost(nodeId, Now, Now)]);
        }

        foreach (var drive in drives)
        {
            drive.Restart(this);
        }

        if (lost)
        {
            // It registers with what its drives say then; their reports follow through the new link.
            Write([new NodeJoined(nodeId, $"akka.tcp://farm@{nodeId}:4053", Now, [.. drives.Select(d => new DriveBeat(d.DriveId, offlineBeats ? "Offline" : d.StateName))])]);
        }

        Send(Unaccepted(nodeId));
    }

    /// <summary>Events and the decisions taken on them, pass after pass, applied as one journal write; then the new orders are sent.</summary>
    private void Write(IReadOnlyList<IFarmEvent> events)
    {
        foreach (var e in events)
        {
            Apply(e);
        }

        var sent = new List<CopyAssigned>();
        for (var pass = 0; pass < 8; pass++)
        {
            var decisions = Decide();
            if (decisions.Count == 0)
            {
                break;
            }

            foreach (var decision in decisions)
            {
                Apply(decision);
                if (decision is CopyAssigned assigned)
                {
                    sent.Add(assigned);
                }
            }
        }

        Send(sent);
    }

    private void Apply(IFarmEvent e)
    {
        State = FarmProjection.Apply(State, e, ++_ordering, Now);
        switch (e)
        {
            case CopyAssigned assigned:
                Assert.False(_undecided.TryGetValue(assigned.DriveId, out var held), Broken($"drive {assigned.DriveId} was given copy {assigned.Copy} (attempt {assigned.Attempt}) while copy {held.Copy} (attempt {held.Attempt}) was undecided on it"));
                _undecided[assigned.DriveId] = (assigned.JobId, assigned.Copy, assigned.Attempt);
                _log.Add($"  controller: {assigned.DriveId} given copy {assigned.Copy} attempt {assigned.Attempt}");
                break;
            case CopyVerified verified:
                Decided(verified.DriveId, verified.JobId, verified.Copy, verified.Attempt);
                _log.Add($"  controller: copy {verified.Copy} attempt {verified.Attempt} verified");
                break;
            case CopyFailed failed:
                Decided(failed.DriveId, failed.JobId, failed.Copy, failed.Attempt);
                _log.Add($"  controller: copy {failed.Copy} attempt {failed.Attempt} failed: {failed.Reason.Message}");
                break;
            case JobFailed jobFailed:
                // A failed job's attempts in flight are no longer undecided (FarmProjection.UndecidedAttemptOf:
                // only a running, held or cancelled job's are): their drives take other work once idle.
                foreach (var driveId in _undecided.Where(u => u.Value.JobId == jobFailed.JobId).Select(u => u.Key).ToList())
                {
                    _undecided.Remove(driveId);
                }

                _log.Add($"  controller: job {jobFailed.JobId} failed: {jobFailed.Why}");
                break;
            case NodeReported reported:
                _log.Add($"  report {reported.SourceId}#{reported.SequenceNr}: {reported.Event.GetType().Name}");
                break;
        }
    }

    private void Decided(string driveId, string jobId, int copy, int attempt)
    {
        if (_undecided.TryGetValue(driveId, out var held) && held == (jobId, copy, attempt))
        {
            _undecided.Remove(driveId);
        }
    }

    private void Send(IEnumerable<CopyAssigned> orders)
    {
        foreach (var order in orders)
        {
            _drives.Single(d => d.DriveId == order.DriveId).Inbox.Enqueue(order);
        }
    }

    private string Broken(string what) => $"{what}; steps:{Environment.NewLine}{string.Join(Environment.NewLine, _log)}";
}
