using Farm.Messages.Jobs;

namespace Farm.Messages.Protocol;

// What the HTTP API (on any controller process) asks of the farm controller singleton, and its answers.

/// <summary>Accept a job; answered with <see cref="JobAccepted"/> once JobSubmitted is persisted, or <see cref="CommandRefused"/>.</summary>
/// <param name="Job">The job, its id and submission time already chosen by the API (so a retried submit is recognised).</param>
public sealed record SubmitJob(JobSubmitted Job) : IFarmMessage;

/// <summary>The job is in the ledger.</summary>
public sealed record JobAccepted(string JobId, bool AlreadyKnown) : IFarmMessage;

/// <summary>Hold, resume or cancel a job; answered with <see cref="CommandAccepted"/> or <see cref="CommandRefused"/>.</summary>
public sealed record ControlJob(string JobId, JobControl Control, bool AbortInFlight, string Reason) : IFarmMessage;

/// <summary>What <see cref="ControlJob"/> does.</summary>
public enum JobControl
{
    Hold = 0,
    Resume = 1,
    Cancel = 2,
}

/// <summary>An operator's command for a drive, answered with <see cref="CommandAccepted"/> or <see cref="CommandRefused"/>.</summary>
public sealed record ControlDrive(DriveCommand Command) : IFarmMessage;

/// <summary>The command was persisted (or passed on) by the controller.</summary>
public sealed record CommandAccepted(string What) : IFarmMessage;

/// <summary>The command cannot be carried out; <paramref name="Reason"/> says why, for the operator. <paramref name="NotFound"/>: it names no known job or drive.</summary>
public sealed record CommandRefused(string Reason, bool NotFound = false) : IFarmMessage;

/// <summary>Ask for the controller's current view of the farm; answered with <see cref="Views.FarmState"/>.</summary>
public sealed record GetFarmState : IFarmMessage
{
    public static readonly GetFarmState Instance = new();
}

/// <summary>An operator acknowledges a standing alert; answered with <see cref="CommandAccepted"/> or <see cref="CommandRefused"/> (NotFound: no such alert stands).</summary>
public sealed record AcknowledgeAlert(string AlertId, string By) : IFarmMessage;

/// <summary>
/// An operator refilled a tower's input bin: <paramref name="InputBlanks"/> blanks are in it now.
/// The controller passes it to the tower's node, whose tower clears its input-empty alert once its
/// bin holds blanks; answered with <see cref="CommandAccepted"/> or <see cref="CommandRefused"/>.
/// </summary>
public sealed record RefillTower(string TowerId, int InputBlanks, string By) : IFarmMessage;
