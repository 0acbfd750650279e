using Microsoft.Extensions.Logging;

namespace Farm.Node.Journal;

/// <summary>The PostgreSQL journal's and leader lock's log lines; event ids 1100-1199 belong to them.</summary>
internal static partial class PostgresJournalLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "journal listening for notifications on channel {Channel}")]
    public static partial void Listening(ILogger logger, string channel);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "journal notification connection (channel {Channel}) broke; reconnecting in {Delay}, polling meanwhile")]
    public static partial void ListenerBroke(ILogger logger, string channel, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "leadership acquired (advisory lock {LockKey}, backend {BackendPid})")]
    public static partial void LeadershipAcquired(ILogger logger, long lockKey, int backendPid);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Error, Message = "leadership lost (advisory lock {LockKey}): its connection broke")]
    public static partial void LeadershipLost(ILogger logger, long lockKey, Exception exception);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Information, Message = "leadership released (advisory lock {LockKey})")]
    public static partial void LeadershipReleased(ILogger logger, long lockKey);

    [LoggerMessage(EventId = 1123, Level = LogLevel.Warning, Message = "could not try for leadership (advisory lock {LockKey}); retrying in {Delay}")]
    public static partial void AcquireFailed(ILogger logger, long lockKey, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1124, Level = LogLevel.Warning, Message = "releasing leadership (advisory lock {LockKey}) failed; closing the connection releases it")]
    public static partial void ReleaseFailed(ILogger logger, long lockKey, Exception exception);
}
