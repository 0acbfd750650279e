using Microsoft.Extensions.Logging;

namespace Farm.Node.Actors;

/// <summary>What an actor gets from its owner: a clock, a logger, a restart policy and who to tell when it gives up.</summary>
public sealed record ActorContext(TimeProvider Time, ILogger Logger, SupervisionOptions Supervision)
{
    /// <summary>
    /// Called once when the supervisor gives up on the actor (too many restarts in the window),
    /// after <see cref="Actor{TMessage}.StoppedAsync"/>; e.g. the node puts the drive in Maintenance.
    /// </summary>
    public Func<ActorGaveUp, Task>? OnGaveUp { get; init; }
}

/// <summary>The supervisor stopped restarting <paramref name="ActorName"/>.</summary>
public sealed record ActorGaveUp(string ActorName, int RecentRestarts, Exception LastFailure);

/// <summary>Where an actor is in its life.</summary>
public enum ActorStatus
{
    /// <summary>Constructed; messages queue until <see cref="Actor{TMessage}.Start"/>.</summary>
    Created = 0,

    /// <summary>Its loop is starting it or handling messages.</summary>
    Running = 1,

    /// <summary>It crashed and waits out a back-off before starting again.</summary>
    Restarting = 2,

    /// <summary>Stopped on request; it takes no more messages.</summary>
    Stopped = 3,

    /// <summary>It failed too often; the supervisor stopped it and reported it.</summary>
    GaveUp = 4,
}
