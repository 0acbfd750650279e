using Farm.Node.Actors;
using Farm.Node.Journal;
using Farm.Node.Recording;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Hosting;

/// <summary>What every node process runs, whichever way its hardware is described; validated before anything starts.</summary>
public sealed record NodeSessionOptions
{
    public required FarmStore Store { get; init; }

    public required string NodeId { get; init; }

    /// <summary>The node's own folder: its local journal (node.db) when the farm is remote, simulated media.</summary>
    public required string DataDirectory { get; init; }

    public NodeLeaseOptions Lease { get; init; } = NodeLeaseOptions.Default;

    /// <summary>How long the node waits before trying an unreachable farm journal again.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>On stop, how long burns in progress may run on before they are cut short (their position kept); null lets them finish (bounded by the host).</summary>
    public TimeSpan? ShutdownGrace { get; init; }

    public NodeSessionOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Store);
        if (string.IsNullOrWhiteSpace(NodeId) || NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"the node id (--node-id, or nodeId in node.json) must be a non-empty name without spaces, not '{NodeId}'");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(DataDirectory);
        if (RetryDelay < TimeSpan.FromMilliseconds(10) || RetryDelay > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException($"the retry delay must be between 10 ms and 5 min, not {RetryDelay}");
        }

        if (ShutdownGrace is { } grace && (grace < TimeSpan.Zero || grace > TimeSpan.FromHours(2)))
        {
            throw new ArgumentException($"the shutdown grace must be between 0 and 2 hours, not {grace}");
        }

        Lease.Validate();
        return this;
    }
}

/// <summary>
/// The hardware a node drives: its towers and drives, how each drive's recorder is set up, a line
/// that describes it for the operator, and what to release when the node stops.
/// </summary>
public sealed record NodeHardware(
    IReadOnlyList<TowerSetup> Towers,
    Func<string, string, string, RecorderOptions> Recorder,
    string Description,
    IReadOnlyList<IAsyncDisposable> Owned);

/// <summary>Something synchronous to release when the node stops, in the shape of what it releases asynchronously.</summary>
internal sealed class Released(Action release) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        release();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// One node process on the farm's journal: the farm store opened (retrying while it is down); on
/// PostgreSQL a local SQLite journal that the node writes to first and a shipper that forwards it
/// in order, so a node that loses the database keeps burning and loses nothing; the node host with
/// its actors; and the lease's heartbeats. The same for a node built from node.json (real or
/// simulated towers) and for <c>farm-node --simulate</c>.
/// </summary>
public static partial class NodeSession
{
    /// <summary>Runs the node until cancelled; 0 on a clean stop, 1 when a loop failed on its own, 130 when cancelled before the store was reached.</summary>
    public static async Task<int> RunAsync(
        NodeSessionOptions options,
        Func<IJournal, CancellationToken, Task<NodeHardware>> buildHardware,
        TimeProvider time,
        ILoggerFactory loggers,
        TextWriter output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(buildHardware);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(output);
        options.Validate();
        Directory.CreateDirectory(options.DataDirectory);
        var log = loggers.CreateLogger("Farm.Node");

        IJournal farm;
        try
        {
            farm = await options.Store.OpenWithRetryAsync(time, loggers, options.RetryDelay,
                failure => LogStoreUnreachable(log, options.Store.ToString(), failure.Message),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 130;
        }

        await using var farmJournal = farm.ConfigureAwait(false);
        SqliteJournal? local = null;
        if (options.Store.Kind == FarmStoreKind.Postgres)
        {
            local = await SqliteJournal.OpenAsync(Path.Combine(options.DataDirectory, "node.db"), time, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            IJournal nodeJournal = local is null ? farm : new NodeJournal(local, farm, time, options.RetryDelay, loggers.CreateLogger<NodeJournal>());
            var hardware = await buildHardware(nodeJournal, cancellationToken).ConfigureAwait(false);
            try
            {
                return await RunHostAsync(options, hardware, nodeJournal, local, farm, time, loggers, output, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var owned in hardware.Owned)
                {
                    await owned.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (local is not null)
            {
                await local.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunHostAsync(NodeSessionOptions options, NodeHardware hardware, IJournal nodeJournal, SqliteJournal? local, IJournal farm, TimeProvider time, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        var node = new NodeHost(options.NodeId, nodeJournal, hardware.Towers, time, SupervisionOptions.Default, hardware.Recorder, loggers);
        var lease = new NodeLease(options.NodeId, nodeJournal, () => node.Drives, time, options.Lease, loggers.CreateLogger<NodeLease>());

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = new List<Task>
        {
            Task.Run(() => node.RunAsync(stopping.Token), CancellationToken.None),
            Task.Run(() => lease.RunAsync(stopping.Token), CancellationToken.None),
        };
        if (local is not null)
        {
            var shipper = new JournalShipper(local, farm, time, options.RetryDelay, loggers.CreateLogger<JournalShipper>());
            loops.Add(Task.Run(() => shipper.RunAsync(stopping.Token), CancellationToken.None));
        }

        await output.WriteLineAsync(hardware.Description).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

        var exitCode = 0;
        try
        {
            var first = await Task.WhenAny(loops).ConfigureAwait(false);
            if (!stopping.IsCancellationRequested)
            {
                // A loop ended on its own: that is a failure; stop the others and report it.
                await first.ConfigureAwait(false);
                exitCode = 1;
            }
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"farm-node: {failure.GetBaseException().Message}").ConfigureAwait(false);
            exitCode = 1;
        }
        finally
        {
            await stopping.CancelAsync().ConfigureAwait(false);

            // Ctrl+C / SIGTERM: burns get the grace period (or finish), then are cut short with their position persisted.
            using var abort = options.ShutdownGrace is { } grace ? new CancellationTokenSource(grace) : new CancellationTokenSource();
            await node.ShutdownAsync(abort.Token).ConfigureAwait(false);
            foreach (var loop in loops)
            {
                try
                {
                    await loop.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        return exitCode;
    }

    [LoggerMessage(EventId = 2330, Level = LogLevel.Warning, Message = "The farm journal {Store} is unreachable, trying again: {Reason}")]
    private static partial void LogStoreUnreachable(ILogger logger, string store, string reason);
}
