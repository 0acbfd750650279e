using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Actors;

/// <summary>
/// An actor: one mailbox, one loop, state only that loop touches. Subclasses keep their state in
/// private fields and change it only in <see cref="HandleAsync"/> and <see cref="StartedAsync"/>;
/// everyone else sends immutable messages with <see cref="Tell"/> or <see cref="AskAsync{TReply}"/>.
/// A supervisor inside the loop restarts the actor with back-off when a step throws (see
/// <see cref="SupervisionOptions"/>).
/// </summary>
/// <remarks>
/// The mailbox is unbounded: <see cref="Tell"/> must never block or fail a sender (a tower
/// reply, a journal tail, a timer) because the receiver is busy, and a drive or tower actor
/// receives a handful of messages per disc, so the queue stays short. A sender that produces
/// without limit must wait for replies (ask) instead.
/// </remarks>
public abstract partial class Actor<TMessage> : IAsyncDisposable
    where TMessage : notnull
{
    private readonly Channel<TMessage> _mailbox = Channel.CreateUnbounded<TMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    // Ends a back-off wait: a stopping actor does not restart.
    private readonly CancellationTokenSource _stopRequested = new();

    // Cancels the step in progress: a stop whose caller stopped waiting, or a dispose.
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorContext _context;
    private int _status;
    private int _disposed;

    protected Actor(string name, ActorContext context)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(context.Time);
        ArgumentNullException.ThrowIfNull(context.Logger);
        ArgumentNullException.ThrowIfNull(context.Supervision);
        context.Supervision.Validate();
        Name = name;
        _context = context;
    }

    /// <summary>Names the actor in logs and in <see cref="ActorGaveUp"/>, e.g. "drive-3".</summary>
    public string Name { get; }

    public ActorStatus Status => (ActorStatus)Volatile.Read(ref _status);

    /// <summary>Completes when the loop has ended: stopped, or given up on (see <see cref="Status"/>).</summary>
    public Task Completion => _completion.Task;

    protected TimeProvider Time => _context.Time;

    protected ILogger Logger => _context.Logger;

    /// <summary>Starts the loop: <see cref="StartedAsync"/>, then the messages in arrival order.</summary>
    /// <remarks>Not done by the constructor, so a subclass is fully constructed before its first step runs.</remarks>
    public void Start()
    {
        if (!TryMoveStatus(ActorStatus.Created, ActorStatus.Running))
        {
            throw new InvalidOperationException($"actor {Name} was already started or stopped");
        }

        _ = Task.Run(RunGuardedAsync);
    }

    /// <summary>Queues a message; false once the actor stopped or was given up on (the message is not delivered).</summary>
    public bool Tell(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _mailbox.Writer.TryWrite(message);
    }

    /// <summary>
    /// Sends the message <paramref name="build"/> makes around a reply slot and waits for the
    /// handler to fill it. A message dropped by a crash is never answered: pass a token that ends the wait.
    /// </summary>
    public async Task<TReply> AskAsync<TReply>(Func<TaskCompletionSource<TReply>, TMessage> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        var reply = new TaskCompletionSource<TReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Tell(build(reply)))
        {
            throw new InvalidOperationException($"actor {Name} has stopped and takes no more messages");
        }

        return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops taking messages, lets the loop handle those already queued, then runs
    /// <see cref="StoppedAsync"/>. An actor waiting out a back-off stops at once and its queue is
    /// dropped. Cancelling <paramref name="cancellationToken"/> cancels the step in progress and
    /// drops the rest of the queue; the call still returns only when the loop has ended.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Completion.IsCompleted)
        {
            return;
        }

        _mailbox.Writer.TryComplete();
        await _stopRequested.CancelAsync().ConfigureAwait(false);
        if (TryMoveStatus(ActorStatus.Created, ActorStatus.Stopped))
        {
            _completion.TrySetResult();
            return;
        }

        await using (cancellationToken.Register(_abort.Cancel).ConfigureAwait(false))
        {
            await Completion.ConfigureAwait(false);
        }
    }

    /// <summary>Stops without draining: the step in progress is cancelled and queued messages are dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
        _stopRequested.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Handles one message. Throwing drops the message and restarts the actor.</summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Called before the first message and again after every restart: open the device, replay the
    /// journal, rebuild the state. Throwing counts as a failure (restart with back-off).
    /// </summary>
    protected virtual Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Called after the last message, before every restart and when the supervisor gives up:
    /// release what <see cref="StartedAsync"/> acquired. Not cancellable, because clean-up must
    /// finish; its exceptions are logged and do not count as failures.
    /// </summary>
    protected virtual Task StoppedAsync() => Task.CompletedTask;

    private bool TryMoveStatus(ActorStatus from, ActorStatus to) =>
        Interlocked.CompareExchange(ref _status, (int)to, (int)from) == (int)from;

    private void SetStatus(ActorStatus status) => Volatile.Write(ref _status, (int)status);
}
