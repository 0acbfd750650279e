using System.Globalization;
using Farm.Controller.Scheduling;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Benchmarks.Cluster;

/// <summary>
/// The controller's journal of a busy farm, made in accelerated time without drives: nodes join,
/// jobs are submitted one after another, the real <see cref="Scheduler"/> decides on the state the
/// real <see cref="FarmProjection"/> folds, and every assignment is answered by the reports a node
/// sends for a good burn (the recorder's and the tower's events, in the order they persist them).
/// The same event records the farm journals; nothing here is a stand-in for them.
/// </summary>
internal sealed class FarmHistory
{
    private const string Media = "DVD+R";
    private const long Blocks = 2_295_104;
    private static readonly SchedulerOptions Options = new() { RegistrationGrace = TimeSpan.FromHours(1) };
    private readonly int _nodes;
    private readonly int _drivesPerNode;
    private readonly int _copiesPerJob;
    private readonly Dictionary<string, long> _sourceSequence = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private DateTimeOffset _now;
    private int _jobsSubmitted;
    private long _discs;

    public FarmHistory(int nodes, int drivesPerNode, int copiesPerJob)
    {
        _nodes = nodes;
        _drivesPerNode = drivesPerNode;
        _copiesPerJob = copiesPerJob;
        _now = _start;
    }

    /// <summary>The state after every event yielded so far (as the controller folds it, ordering = its sequence number).</summary>
    public FarmState State { get; private set; } = FarmState.Empty;

    /// <summary>Events yielded so far: the controller's sequence number of the last one.</summary>
    public long Count { get; private set; }

    /// <summary>The farm's events, without end; take as many as wanted.</summary>
    public IEnumerable<IFarmEvent> Events()
    {
        for (var n = 1; n <= _nodes; n++)
        {
            foreach (var e in NodeComesUp(n))
            {
                yield return Applied(e);
            }
        }

        while (true)
        {
            if (!State.Jobs.Values.Any(j => j.Status is JobStatus.Running))
            {
                yield return Applied(NextJob());
            }

            var decisions = Scheduler.Decide(State, Options, _now, _start);
            foreach (var decision in decisions)
            {
                yield return Applied(decision);
            }

            foreach (var assigned in decisions.OfType<CopyAssigned>())
            {
                foreach (var report in GoodBurn(assigned))
                {
                    yield return Applied(report);
                }
            }

            _now += TimeSpan.FromMinutes(1);
        }
    }

    /// <summary>Whether the controller, recovered at this point, would decide nothing (no copy waits for a decision).</summary>
    public bool Quiet => Scheduler.Decide(State, Options, _now, _start).Count == 0;

    private IFarmEvent Applied(IFarmEvent e)
    {
        State = FarmProjection.Apply(State, e, ++Count, (e as NodeReported)?.ReceivedAt);
        return e;
    }

    private IEnumerable<IFarmEvent> NodeComesUp(int n)
    {
        var nodeId = NodeId(n);
        var towerId = $"{nodeId}-T1";
        var drives = Enumerable.Range(1, _drivesPerNode).Select(d => $"{towerId}-D{d}").ToList();
        yield return new NodeJoined(nodeId, string.Create(CultureInfo.InvariantCulture, $"akka.tcp://farm@10.0.0.{n}:4053"), _now, [.. drives.Select(d => new DriveBeat(d, "Idle"))]);
        yield return Report(nodeId, $"tower-{towerId}", new TowerBinsReported(towerId, 500, Media, 0, 0));
        foreach (var drive in drives)
        {
            yield return Report(nodeId, $"drive-{drive}", new DriveCameOnline(drive, nodeId, towerId, "PIONEER", "BDR-S12J"));
            yield return Report(nodeId, $"drive-{drive}", new DriveIdle(drive));
        }
    }

    private JobSubmitted NextJob()
    {
        var n = ++_jobsSubmitted;
        return new JobSubmitted(string.Create(CultureInfo.InvariantCulture, $"20260105-{n:D6}-bench"), $"/srv/images/release-{n}.iso", Blocks, _copiesPerJob, VerifyMode.Full, Media, 0, _now);
    }

    /// <summary>What a drive and its tower persist (and the node reports) for one copy burned and verified.</summary>
    private IEnumerable<IFarmEvent> GoodBurn(CopyAssigned a)
    {
        var drive = $"drive-{a.DriveId}";
        var towerId = State.Drives[a.DriveId].TowerId;
        var tower = $"tower-{towerId}";
        var disc = string.Create(CultureInfo.InvariantCulture, $"DISC-{++_discs:D8}");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(_discs)));
        yield return Report(a.NodeId, drive, new BurnAssigned(a.DriveId, a.JobId, a.Copy, a.Attempt, a.ImageBlocks, a.ImagePath, a.Verify));
        yield return Report(a.NodeId, tower, new DiscPicked(towerId, a.DriveId, disc, Media));
        yield return Report(a.NodeId, drive, new DiscLoaded(a.DriveId, a.JobId, a.Copy, disc, Media));
        yield return Report(a.NodeId, drive, new BurnStarted(a.DriveId, a.JobId, a.Copy, disc, 0, a.ImageBlocks));
        yield return Report(a.NodeId, drive, new BurnClosing(a.DriveId, a.JobId, a.Copy, a.ImageBlocks - 1));
        yield return Report(a.NodeId, drive, new BurnFinished(a.DriveId, a.JobId, a.Copy, a.ImageBlocks, TimeSpan.FromMinutes(6)));
        yield return Report(a.NodeId, drive, new DiscVerified(a.DriveId, a.JobId, a.Copy, sha, TimeSpan.FromMinutes(4)));
        yield return Report(a.NodeId, drive, new DiscUnloaded(a.DriveId, a.JobId, a.Copy, a.Attempt, disc, Bins.Output, sha));
        yield return Report(a.NodeId, tower, new DiscBinned(towerId, a.DriveId, disc, Bins.Output, null));
        yield return Report(a.NodeId, drive, new DriveIdle(a.DriveId));
    }

    private NodeReported Report(string nodeId, string sourceId, IFarmEvent e)
    {
        var seq = _sourceSequence[sourceId] = _sourceSequence.GetValueOrDefault(sourceId) + 1;
        return new NodeReported(nodeId, sourceId, seq, e, _now);
    }

    private static string NodeId(int n) => string.Create(CultureInfo.InvariantCulture, $"node{n:D2}");
}
