using Akka.Actor;
using Farm.Messages;

namespace Farm.Node.Recording;

/// <summary>
/// A recorder's child for one <see cref="BurnEpisode"/>: runs the episode's <see cref="BurnAttempt"/>
/// off the recorder's mailbox, so abort, status and operator messages reach the recorder while a
/// disc is burning for minutes. Tells its parent <see cref="Ended"/> or <see cref="Crashed"/> and stops.
/// </summary>
#pragma warning disable CA1001 // The token source is never disposed on purpose: see the field.
internal sealed class BurnWorker : ReceiveActor
#pragma warning restore CA1001
{
    /// <summary>The worker asks its recorder to persist a step's event; answered with <see cref="StepPersisted"/> once it is in the journal.</summary>
    public sealed record PersistStep(IFarmEvent Event);

    /// <summary>The step's event is in the journal; the recorder's history after it.</summary>
    public sealed record StepPersisted(RecorderHistory History);

    /// <summary>The drive's status as the episode changed it.</summary>
    public sealed record StatusChanged(RecorderStatus Status);

    /// <summary>The episode is over; <paramref name="Settle"/>: the recorder settles the drive (idle, or paused while a hold stands).</summary>
    public sealed record Ended(bool Settle, RecorderStatus Status);

    /// <summary>The episode threw (a dead device, a bug) or was cut short by <see cref="CutShort"/> (<paramref name="WasCutShort"/>).</summary>
    public sealed record Crashed(Exception Cause, bool WasCutShort);

    /// <summary>The controller aborted that attempt.</summary>
    public sealed record Abort((string JobId, int Copy, int Attempt) Key, string Reason);

    /// <summary>The node is stopping: cut the burn short, keeping its last position (the next start reports the disc).</summary>
    public sealed record CutShort
    {
        public static readonly CutShort Instance = new();
    }

    private sealed record Finished(bool Settle);

    private sealed record Failed(Exception Cause);

    private readonly BurnEpisode _episode;
    private readonly BurnAttempt _attempt;

    // Cancelled when the worker stops or is told to cut short; never disposed, because the
    // episode's task may still be unwinding with it after the worker is gone.
    private readonly CancellationTokenSource _shutdown = new();

    public BurnWorker(BurnEpisode episode, BurnAttempt attempt)
    {
        _episode = episode;
        _attempt = attempt;
        Receive<Abort>(abort => attempt.RequestAbort(abort.Key, abort.Reason));
        Receive<CutShort>(_ => _shutdown.Cancel());
        Receive<Finished>(finished =>
        {
            Context.Parent.Tell(new Ended(finished.Settle, attempt.Current));
            Context.Stop(Self);
        });
        Receive<Failed>(failed =>
        {
            Context.Parent.Tell(new Crashed(failed.Cause, _shutdown.IsCancellationRequested));
            Context.Stop(Self);
        });
    }

    public static Props Props(BurnEpisode episode, BurnAttempt attempt) =>
        Akka.Actor.Props.Create(() => new BurnWorker(episode, attempt));

    protected override void PreStart()
    {
        var token = _shutdown.Token;
        Task.Run(() => _attempt.RunAsync(_episode, token), CancellationToken.None)
            .PipeTo(Self, success: settle => new Finished(settle), failure: cause => new Failed(cause is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : cause));
    }

    protected override void PostStop() => _shutdown.Cancel();
}
