namespace Farm.Node.Leadership;

/// <summary>Tuning of a <see cref="PostgresLeaderLock"/>.</summary>
/// <param name="LockKey">The advisory lock (per database) the candidates compete for; all controllers of one farm use the same key.</param>
/// <param name="AcquireRetryInterval">How often <see cref="PostgresLeaderLock.WaitForLeadershipAsync"/> tries again while another process leads.</param>
/// <param name="HealthCheckInterval">
/// How often the leader proves its connection alive with a round trip. A terminated backend is
/// noticed at once (the server says so on the socket); a silent network failure is noticed by
/// the next check that fails, so this bounds how long a cut-off leader believes it still leads.
/// Wall-clock: the wait is on the socket.
/// </param>
public sealed record PostgresLeaderLockOptions(long LockKey, TimeSpan AcquireRetryInterval, TimeSpan HealthCheckInterval)
{
    /// <summary>The controllers' key: ASCII "FARMLEAD".</summary>
    public const long ControllerLockKey = 0x4641524D_4C454144;

    public static PostgresLeaderLockOptions Default { get; } = new(ControllerLockKey, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value the lock cannot work with.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AcquireRetryInterval, TimeSpan.Zero, nameof(AcquireRetryInterval));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(AcquireRetryInterval, TimeSpan.FromDays(1), nameof(AcquireRetryInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(HealthCheckInterval, TimeSpan.FromMilliseconds(1), nameof(HealthCheckInterval));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HealthCheckInterval, TimeSpan.FromMilliseconds(int.MaxValue), nameof(HealthCheckInterval));
    }
}

/// <summary>Why a leader stopped leading without releasing: the connection holding the lock failed.</summary>
public sealed class LeadershipLostEventArgs(Exception cause) : EventArgs
{
    public Exception Cause { get; } = cause;
}
