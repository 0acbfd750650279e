using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Node.Hosting;
using Farm.Node.Recording;
using Farm.Node.Reporting;
using Farm.Node.Towers;

namespace Farm.Benchmarks.FarmSize;

/// <summary>One logical node of the farm-size run: its id, its towers of drives, and the blanks in each tower's input bin.</summary>
internal sealed record SimulatedNodeSpec(string NodeId, int Towers, int DrivesPerTower, int InputBlanks, double TimeScale, DriveTimings Timings)
{
    public static string TowerIdOf(string nodeId, int tower) => $"{nodeId}-T{tower}";

    public static string DriveIdOf(string nodeId, int tower, int drive) => $"{nodeId}-T{tower}-D{drive}";
}

/// <summary>
/// A logical node that speaks the real node protocol to the controller singleton, with
/// protocol-level simulated drives and towers (no RecorderActor, no node journal, no SCSI
/// simulator): it registers (<see cref="RegisterNode"/>, again every 2 s until
/// <see cref="NodeRegistered"/>), ships every event through the real <see cref="OutboxActor"/>
/// (Akka.Delivery producer "node-{id}"), and for each <see cref="CopyAssigned"/> emits what a
/// RecorderActor and its TowerActor persist for one verified burn, in their order, with the
/// verified-disc claim between DiscVerified and DiscCountAnswered:
/// drive BurnAssigned; tower DiscPicked, TowerBinsReported; drive DiscLoaded, BurnStarted,
/// (write) BurnClosing, (close) BurnFinished, (verify) DiscVerified, claim, DiscCountAnswered;
/// tower DiscBinned, TowerBinsReported; drive DiscUnloaded, DriveIdle. Sector progress (live only
/// at the controller, never persisted there) is not sent.
/// </summary>
internal sealed class SimulatedNodeActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan RegisterEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ClaimPatience = TimeSpan.FromSeconds(10);

    private readonly SimulatedNodeSpec _spec;
    private readonly IActorRef _controller;
    private readonly FarmSizeSamples _samples;
    private readonly Random _random = new();
    private readonly Dictionary<string, SimulatedDrive> _drives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TowerBins> _towers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sequenceNrs = new(StringComparer.Ordinal);
    private IActorRef? _outbox;
    private IActorRef? _producer;
    private bool _registered;

    public SimulatedNodeActor(SimulatedNodeSpec spec, IActorRef controller, FarmSizeSamples samples)
    {
        _spec = spec;
        _controller = controller;
        _samples = samples;
        Receive<OutboxActor.Ready>(ready =>
        {
            _producer = ready.Producer;
            Self.Tell(RegisterTick.Instance);
            Timers.StartPeriodicTimer(nameof(RegisterTick), RegisterTick.Instance, RegisterEvery);
        });
        Receive<RegisterTick>(_ =>
        {
            if (!_registered)
            {
                _controller.Tell(new RegisterNode(_spec.NodeId, Self, _producer!, [.. _drives.Keys.Select(id => new DriveBeat(id, "Idle"))]));
            }
        });
        Receive<NodeRegistered>(registered => registered.NodeId == _spec.NodeId, _ =>
        {
            if (!_registered)
            {
                _registered = true;
                Timers.Cancel(nameof(RegisterTick));
                _samples.NodeRegistered(_spec.NodeId);
            }
        });
        Receive<NodeRefused>(refused => throw new InvalidOperationException($"the controller refused simulated node {refused.NodeId}: {refused.Reason}"));
        Receive<EventConfirmed>(confirmed => _samples.Confirmed(confirmed.SourceId, confirmed.SequenceNr, DateTimeOffset.UtcNow.UtcTicks));
        Receive<CopyAssigned>(Assigned);
        Receive<Step>(OnStep);
        Receive<ClaimAnswered>(OnClaimAnswered);
        Receive<CopyAbortRequested>(_ => { }); // no run of this harness cancels its job
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(SimulatedNodeSpec spec, IActorRef controller, FarmSizeSamples samples) =>
        Akka.Actor.Props.Create(() => new SimulatedNodeActor(spec, controller, samples));

    protected override void PreStart()
    {
        _outbox = Context.ActorOf(OutboxActor.Props(_spec.NodeId), "outbox");

        // What a node's towers and recorders persist on a fresh start: the bins, then each drive online and idle.
        for (var t = 1; t <= _spec.Towers; t++)
        {
            var towerId = SimulatedNodeSpec.TowerIdOf(_spec.NodeId, t);
            var bins = new TowerBins(towerId) { InputBlanks = _spec.InputBlanks };
            _towers.Add(towerId, bins);
            EmitBins(bins);
            for (var d = 1; d <= _spec.DrivesPerTower; d++)
            {
                var drive = new SimulatedDrive(SimulatedNodeSpec.DriveIdOf(_spec.NodeId, t, d), towerId);
                _drives.Add(drive.DriveId, drive);
                Emit(RecorderActor.PersistenceIdOf(drive.DriveId), new DriveCameOnline(drive.DriveId, _spec.NodeId, towerId, "BurnFarm", "protocol-level simulated drive"));
                EmitIdle(drive);
            }
        }
    }

    private void Assigned(CopyAssigned assignment)
    {
        if (!_drives.TryGetValue(assignment.DriveId, out var drive))
        {
            return;
        }

        if (drive.Copy is { } current)
        {
            // The controller sends an unacknowledged assignment again when a node registers; a different one is refused, as a RecorderActor does.
            if (current.JobId != assignment.JobId || current.Copy != assignment.Copy || current.Attempt != assignment.Attempt)
            {
                Emit(drive.Source, new BurnFailed(drive.DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, BurnFailed.RefusedPhase, -1,
                    new FailureReason("E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, Disposition.FailDisc, $"drive {drive.DriveId} is busy, not idle")));
            }

            return;
        }

        _samples.Assigned(drive.DriveId, DateTimeOffset.UtcNow.UtcTicks);
        drive.Copy = assignment;
        Emit(drive.Source, new BurnAssigned(drive.DriveId, assignment.JobId, assignment.Copy, assignment.Attempt, assignment.ImageBlocks, assignment.ImagePath, assignment.Verify, assignment.AllowResume, assignment.Label));
        After(_spec.Timings.Load, drive, Phase.Loaded);
    }

    private void OnStep(Step step)
    {
        var drive = _drives[step.DriveId];
        var copy = drive.Copy!;
        switch (step.Next)
        {
            case Phase.Loaded:
                var bins = _towers[drive.TowerId];
                drive.DiscId = $"{drive.TowerId}-disc-{++bins.Picked}";
                bins.InputBlanks--;
                Emit(bins.Source, new DiscPicked(bins.TowerId, drive.DriveId, drive.DiscId, copy.MediaType));
                EmitBins(bins);
                Emit(drive.Source, new DiscLoaded(drive.DriveId, copy.JobId, copy.Copy, drive.DiscId, copy.MediaType));
                Emit(drive.Source, new BurnStarted(drive.DriveId, copy.JobId, copy.Copy, drive.DiscId, 0, copy.ImageBlocks));
                After(_spec.Timings.Write, drive, Phase.Closing);
                break;
            case Phase.Closing:
                Emit(drive.Source, new BurnClosing(drive.DriveId, copy.JobId, copy.Copy, copy.ImageBlocks - 1));
                After(_spec.Timings.Close, drive, Phase.Finished);
                break;
            case Phase.Finished:
                Emit(drive.Source, new BurnFinished(drive.DriveId, copy.JobId, copy.Copy, copy.ImageBlocks, (_spec.Timings.Write + _spec.Timings.Close) / _spec.TimeScale));
                After(_spec.Timings.Verify, drive, Phase.Verified);
                break;
            case Phase.Verified:
                Emit(drive.Source, new DiscVerified(drive.DriveId, copy.JobId, copy.Copy, Sha256Of(copy), _spec.Timings.Verify / _spec.TimeScale));
                Claim(drive);
                break;
            case Phase.Unloaded:
                var tower = _towers[drive.TowerId];
                var bin = drive.Counted ? Bins.Output : Bins.Reject;
                if (drive.Counted)
                {
                    tower.Output++;
                }
                else
                {
                    tower.Reject++;
                }

                Emit(tower.Source, new DiscBinned(tower.TowerId, drive.DriveId, drive.DiscId!, bin, drive.Counted ? null : "verified, but not counted"));
                EmitBins(tower);
                Emit(drive.Source, new DiscUnloaded(drive.DriveId, copy.JobId, copy.Copy, copy.Attempt, drive.DiscId!, bin, drive.Counted ? Sha256Of(copy) : null));
                drive.Copy = null;
                drive.DiscId = null;
                EmitIdle(drive);
                break;
        }
    }

    /// <summary>The verified disc's claim, asked again every <see cref="ClaimPatience"/> until the controller answers, as a recorder does.</summary>
    private void Claim(SimulatedDrive drive)
    {
        var copy = drive.Copy!;
        var claim = new VerifiedDiscClaim(_spec.NodeId, drive.DriveId, copy.JobId, copy.Copy, copy.Attempt, drive.DiscId!, Sha256Of(copy));
        var driveId = drive.DriveId;
        _controller.Ask<VerifiedDiscAnswer>(claim, ClaimPatience)
            .ContinueWith(asked => new ClaimAnswered(driveId, asked.IsCompletedSuccessfully ? asked.Result : null), TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void OnClaimAnswered(ClaimAnswered answered)
    {
        var drive = _drives[answered.DriveId];
        if (answered.Answer is not { } answer)
        {
            Claim(drive);
            return;
        }

        var copy = drive.Copy!;
        drive.Counted = answer.Counted;
        Emit(drive.Source, new DiscCountAnswered(drive.DriveId, copy.JobId, copy.Copy, copy.Attempt, drive.DiscId!, answer.Counted, answer.Why));
        After(_spec.Timings.Unload, drive, Phase.Unloaded);
    }

    /// <summary>The drive's next phase after <paramref name="simulated"/> time; a drive waits for one step at a time, so its id is the timer's key.</summary>
    private void After(TimeSpan simulated, SimulatedDrive drive, Phase next) =>
        Timers.StartSingleTimer(drive.DriveId, new Step(drive.DriveId, next), DriveTimings.Real(simulated, _spec.TimeScale, _spec.Timings.Jitter, _random));

    private void EmitIdle(SimulatedDrive drive)
    {
        Emit(drive.Source, new DriveIdle(drive.DriveId));
        _samples.Idle(drive.DriveId, DateTimeOffset.UtcNow.UtcTicks);
    }

    private void EmitBins(TowerBins bins) =>
        Emit(bins.Source, new TowerBinsReported(bins.TowerId, bins.InputBlanks, "DVD+R", bins.Output, bins.Reject));

    /// <summary>One event "persisted" by a drive or tower: numbered in its source, handed to the outbox, its time noted.</summary>
    private void Emit(string source, IFarmEvent farmEvent)
    {
        var sequenceNr = _sequenceNrs[source] = _sequenceNrs.GetValueOrDefault(source) + 1;
        _samples.Emitted(source, sequenceNr, DateTimeOffset.UtcNow.UtcTicks);
        _outbox!.Tell(new OutboxActor.Send(new NodeReport(_spec.NodeId, source, sequenceNr, farmEvent)), Self);
    }

    private static string Sha256Of(CopyAssigned copy) => copy.ImageSha256 ?? "simulated";

    private enum Phase
    {
        Loaded,
        Closing,
        Finished,
        Verified,
        Unloaded,
    }

    private sealed record Step(string DriveId, Phase Next);

    private sealed record ClaimAnswered(string DriveId, VerifiedDiscAnswer? Answer);

    private sealed record RegisterTick
    {
        public static readonly RegisterTick Instance = new();
    }

    private sealed class SimulatedDrive(string driveId, string towerId)
    {
        public string DriveId { get; } = driveId;

        public string TowerId { get; } = towerId;

        public string Source { get; } = RecorderActor.PersistenceIdOf(driveId);

        public CopyAssigned? Copy { get; set; }

        public string? DiscId { get; set; }

        public bool Counted { get; set; }
    }

    private sealed class TowerBins(string towerId)
    {
        public string TowerId { get; } = towerId;

        public string Source { get; } = TowerActor.PersistenceIdOf(towerId);

        public int InputBlanks { get; set; }

        public int Output { get; set; }

        public int Reject { get; set; }

        public int Picked { get; set; }
    }
}
