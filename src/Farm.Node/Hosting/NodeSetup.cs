using Farm.Device.Towers;
using Farm.Device.Writing;
using Farm.Device.Transports;
using Farm.Node.Cluster;
using Farm.Node.Images;
using Farm.Node.Recording;
using Farm.Node.Towers;

namespace Farm.Node.Hosting;

/// <summary>What a node runs: its id, its hardware, and how its actors behave.</summary>
/// <param name="DataDirectory">The node's own folder: its journal (node.db) and simulated media.</param>
/// <param name="Recorder">A drive's options from (node id, tower id, drive id).</param>
public sealed record NodeSetup(
    string NodeId,
    string DataDirectory,
    IReadOnlyList<TowerSetup> Towers,
    Func<string, string, string, RecorderOptions> Recorder)
{
    public SupervisionOptions Supervision { get; init; } = SupervisionOptions.Default;

    /// <summary>How often the node announces itself to the controller singleton until it is answered.</summary>
    public TimeSpan RegisterInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Events between two snapshots of a recorder or tower.</summary>
    public int SnapshotEvery { get; init; } = 200;

    /// <summary>How often a busy drive's live figures go to the controller.</summary>
    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long the node stays in a cluster with no controller before it leaves it, to join the
    /// controllers again through the seeds (<see cref="Cluster.ControllerPresenceWatch"/>).
    /// Meanwhile the node invites the first seed controller back; started again in place, it
    /// joins within about 7 s of its predecessor's death (Akka.Remote holds messages to the dead
    /// address for 5 s first), which is 3 s after the Split Brain Resolver downed that one and
    /// this limit began. A controller that formed a cluster elsewhere instead declares this node
    /// lost 10 s after it starts (its registration grace), no sooner than 6 s after the death
    /// (Akka's seed-node-timeout; a lone controller's <see cref="FarmClusterOptions.RejoinWait"/>
    /// is longer): a node still burning then would bin discs nobody counts. 8 s leaves the
    /// rejoin 5 s to spare, and the node gone 4 s before such a controller counts it lost.
    /// </summary>
    public TimeSpan ControllerAbsenceLimit { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The node's shared image reads (<see cref="SharedImageCache"/>): drives burning one image read
    /// it through one ring. The ring spans the drives' start times: drives whose first WRITEs are
    /// within RingBytes / write speed of each other share one read (256 MiB: 3.7 s at BD 16x).
    /// </summary>
    public SharedImageOptions Images { get; init; } = DefaultImages;

    /// <summary>The node's default ring: 256 MiB of 64 KiB chunks per image being burned.</summary>
    public static SharedImageOptions DefaultImages { get; } = new() { RingBytes = 256 * 1024 * 1024, ReservedRings = 1 };

    /// <summary>
    /// Where the node fetches images it cannot open at the job's path (<c>farm-node --farm</c>) and
    /// its cache of them; null: every image must be readable at the submitter's path, as on shared storage.
    /// </summary>
    public ImageFetchOptions? ImageFetch { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value that makes no sense.</summary>
    public NodeSetup Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeId) || NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            throw new ArgumentException($"the node id (--node-id) must be a non-empty name without spaces or '/', not '{NodeId}'");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory);
        ArgumentNullException.ThrowIfNull(Towers);
        ArgumentNullException.ThrowIfNull(Recorder);
        Supervision.Validate();
        ArgumentNullException.ThrowIfNull(Images);
        Images.Validate();
        ImageFetch?.Validate();
        var drives = Towers.SelectMany(t => t.Drives).GroupBy(d => d.DriveId, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (drives is not null)
        {
            throw new ArgumentException($"drive '{drives.Key}' appears more than once on node {NodeId}; drive ids must be unique");
        }

        if (ControllerAbsenceLimit <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ControllerAbsenceLimit ({ControllerAbsenceLimit}) must be positive");
        }

        if (RegisterInterval <= TimeSpan.Zero || LiveInterval <= TimeSpan.Zero || SnapshotEvery < 1)
        {
            throw new ArgumentException($"RegisterInterval ({RegisterInterval}) and LiveInterval ({LiveInterval}) must be positive and SnapshotEvery ({SnapshotEvery}) at least 1");
        }

        return this;
    }
}
