using Farm.Messages;
using Farm.Messages.Nodes;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>How often a node proves it is alive; validated at start.</summary>
/// <param name="HeartbeatInterval">Between heartbeats; keep it well under the controller's lease (default 2 s against 10 s).</param>
public sealed record NodeLeaseOptions(TimeSpan HeartbeatInterval)
{
    public static NodeLeaseOptions Default { get; } = new(TimeSpan.FromSeconds(2));

    public NodeLeaseOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(HeartbeatInterval, TimeSpan.FromMilliseconds(50), nameof(HeartbeatInterval));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HeartbeatInterval, TimeSpan.FromMinutes(10), nameof(HeartbeatInterval));
        return this;
    }
}

/// <summary>
/// The node's side of its lease: appends <see cref="NodeHeartbeat"/> to the stream "node-{id}"
/// every interval, with every drive's state. The node appends it where it appends everything
/// (its local journal when the farm is remote), so a heartbeat reaching the farm also proves the
/// node's events are flowing. The controller decides liveness by its own clock.
/// </summary>
public sealed partial class NodeLease
{
    private readonly string nodeId;
    private readonly IJournal journal;
    private readonly Func<IReadOnlyList<RecorderStatus>> drives;
    private readonly TimeProvider time;
    private readonly NodeLeaseOptions options;
    private readonly ILogger logger;

    public NodeLease(string nodeId, IJournal journal, Func<IReadOnlyList<RecorderStatus>> drives, TimeProvider time, NodeLeaseOptions options, ILogger<NodeLease> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        this.nodeId = nodeId;
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        this.drives = drives ?? throw new ArgumentNullException(nameof(drives));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public static string StreamIdOf(string nodeId) => $"node-{nodeId}";

    /// <summary>Heartbeats until cancelled. A failed append (the journal is the node's own) is logged and retried at the next beat.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var stream = StreamIdOf(nodeId);
        long? sequenceNr = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                sequenceNr ??= await journal.HighestSequenceNrAsync(stream, cancellationToken).ConfigureAwait(false);
                var beat = new NodeHeartbeat(nodeId, time.GetUtcNow(), [.. drives().Select(d => new DriveBeat(d.DriveId, d.State.ToString()))]);
                var stored = await journal.AppendAsync(stream, sequenceNr.Value, [beat], "node", cancellationToken).ConfigureAwait(false);
                sequenceNr = stored[^1].SequenceNr;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure) when (FarmStore.IsStoreFailure(failure) || failure is JournalConcurrencyException)
            {
                sequenceNr = null;
                LogHeartbeatFailed(nodeId, failure.Message);
            }

            try
            {
                await Task.Delay(options.HeartbeatInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2320, Level = LogLevel.Warning, Message = "Node {NodeId}: heartbeat not recorded: {Reason}")]
    private partial void LogHeartbeatFailed(string nodeId, string reason);
}
