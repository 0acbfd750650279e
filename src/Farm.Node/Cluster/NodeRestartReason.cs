using Akka.Actor;

namespace Farm.Node.Cluster;

/// <summary>
/// Why a node's ActorSystem shut down when only a fresh start can mend it: the process exits 1 and
/// its supervisor (systemd <c>Restart=always</c>, compose <c>restart:</c>) starts it again. The
/// node's watches (<see cref="JoinWatch"/>, <see cref="ControllerPresenceWatch"/>) each decide
/// when; this says why, and what the fresh start will do, for the process's last line.
/// </summary>
public abstract class NodeRestartReason(string why, string afterRestart) : CoordinatedShutdown.Reason
{
    /// <summary>What went wrong, in words for the operator.</summary>
    public string Why { get; } = why;

    /// <summary>What the restarted process does that this one could not.</summary>
    public string AfterRestart { get; } = afterRestart;

    /// <summary>A failure its supervisor restarts the process for.</summary>
    public override int ExitCode => 1;

    public override string ToString() => Why;
}
