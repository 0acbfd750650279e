using Microsoft.Extensions.Logging;

namespace Farm.Node.Actors;

/// <summary>The actor kernel's log lines; event ids 1000-1099 belong to it.</summary>
internal static partial class ActorLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "actor {Actor} started")]
    public static partial void Started(ILogger logger, string actor);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "actor {Actor} failed handling {MessageType}; the message is dropped")]
    public static partial void HandleFailed(ILogger logger, string actor, string messageType, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "actor {Actor} failed to start")]
    public static partial void StartFailed(ILogger logger, string actor, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "actor {Actor} restarts in {Backoff} (restart {Restart} in the window)")]
    public static partial void RestartScheduled(ILogger logger, string actor, TimeSpan backoff, int restart);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "actor {Actor} gave up after {Restarts} restarts within {Window}")]
    public static partial void GaveUp(ILogger logger, string actor, int restarts, TimeSpan window, Exception lastFailure);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "actor {Actor} stopped")]
    public static partial void Stopped(ILogger logger, string actor);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "actor {Actor} failed while stopping")]
    public static partial void StopFailed(ILogger logger, string actor, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "actor {Actor}: the owner's give-up handler failed")]
    public static partial void GaveUpHandlerFailed(ILogger logger, string actor, Exception exception);
}
