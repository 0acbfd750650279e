using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// A TestProbe in the farm controller singleton's place, answering as the controller's protocol
/// says (SubmitJob -> JobAccepted, known id -> AlreadyKnown; ControlJob -> CommandAccepted, or
/// CommandRefused with NotFound for an unknown job; ControlDrive, AcknowledgeAlert and RefillTower
/// likewise for an unknown drive, alert or tower; GetFarmState -> the farm), so the tests check
/// how the API maps requests to messages and answers to HTTP. <see cref="Silent"/> makes it answer
/// nothing, as a singleton that is moving.
/// </summary>
internal sealed class ControllerStandIn
{
    private readonly ConcurrentQueue<object> _commands = new();
    private readonly Lock _gate = new();
    private FarmState _farm = FarmState.Empty;
    private volatile bool _silent;

    public ControllerStandIn(TestProbe probe)
    {
        Probe = probe;
        probe.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (!Silent && Answer(message) is { } reply)
            {
                sender.Tell(reply);
            }

            return AutoPilot.KeepRunning;
        }));
    }

    public TestProbe Probe { get; }

    /// <summary>Answers nothing (the Ask times out).</summary>
    public bool Silent
    {
        get => _silent;
        set => _silent = value;
    }

    /// <summary>The commands received (SubmitJob, ControlJob, ControlDrive, AcknowledgeAlert, RefillTower), in order.</summary>
    public IReadOnlyList<object> Commands => [.. _commands];

    public FarmState Farm
    {
        get
        {
            lock (_gate)
            {
                return _farm;
            }
        }

        set
        {
            lock (_gate)
            {
                _farm = value;
            }
        }
    }

    /// <summary>Changes one job, as the controller's projection would after events (atomically: the probe's answers change the farm too).</summary>
    public void Update(string jobId, Func<JobState, JobState> change)
    {
        lock (_gate)
        {
            _farm = _farm with { Jobs = _farm.Jobs.SetItem(jobId, change(_farm.Jobs[jobId])) };
        }
    }

    public static JobState JobOf(JobSubmitted submitted)
    {
        var perSet = submitted.Source?.SetImages?.Count ?? 1;
        var copies = Enumerable.Range(1, submitted.Copies * perSet)
            .ToImmutableSortedDictionary(c => c, c => new CopyState(c, CopyStatus.Pending, 0, null, null, null));
        return new JobState(
            submitted.JobId, submitted.ImagePath, submitted.ImageBlocks, submitted.Copies, submitted.Verify, submitted.MediaType, submitted.Priority,
            submitted.SubmittedAt, JobStatus.Running, copies, 0, [], null)
        {
            Source = submitted.Source ?? new JobSource(SourceKind.Image, submitted.ImagePath),
            Label = submitted.Label,
            DueAt = submitted.DueAt,
            MaxAttemptsPerCopy = submitted.MaxAttemptsPerCopy,
        };
    }

    /// <summary>Every copy verified: what the projection shows once the job completed.</summary>
    public static JobState Completed(JobState job, int rejected) => job with
    {
        Status = JobStatus.Completed,
        Rejected = rejected,
        CopyStates = job.CopyStates.ToImmutableSortedDictionary(c => c.Key, c => c.Value with { Status = CopyStatus.Verified, Attempt = 1, DriveId = "T1-D1", Sha256 = new string('a', 64) }),
    };

    private object? Answer(object message)
    {
        lock (_gate)
        {
            var reply = AnswerLocked(message);

            // Recorded after the farm changed: a test that sees the command sees its effect.
            if (message is SubmitJob or ControlJob or ControlDrive or AcknowledgeAlert or RefillTower)
            {
                _commands.Enqueue(message);
            }

            return reply;
        }
    }

    private object? AnswerLocked(object message)
    {
        switch (message)
        {
            case GetFarmState:
                return _farm;
            case SubmitJob submit:
                if (_farm.Jobs.ContainsKey(submit.Job.JobId))
                {
                    return new JobAccepted(submit.Job.JobId, AlreadyKnown: true);
                }

                _farm = _farm with { Jobs = _farm.Jobs.Add(submit.Job.JobId, JobOf(submit.Job)) };
                return new JobAccepted(submit.Job.JobId, AlreadyKnown: false);
            case ControlJob control:
                if (!_farm.Jobs.TryGetValue(control.JobId, out var job))
                {
                    return new CommandRefused($"there is no job '{control.JobId}'", NotFound: true);
                }

                if (control.Control == JobControl.Resume && job.Status != JobStatus.Held)
                {
                    return new CommandRefused($"job {control.JobId} is {job.Status}, not held: there is nothing to resume");
                }

                _farm = _farm with { Jobs = _farm.Jobs.SetItem(control.JobId, job with { Status = control.Control == JobControl.Hold ? JobStatus.Held : control.Control == JobControl.Resume ? JobStatus.Running : JobStatus.Cancelled, Why = control.Reason }) };
                return new CommandAccepted($"{control.Control} of job {control.JobId}");
            case ControlDrive control:
                return _farm.Drives.ContainsKey(control.Command.DriveId)
                    ? new CommandAccepted($"drive {control.Command.DriveId}: {control.Command.Action}")
                    : new CommandRefused($"there is no drive '{control.Command.DriveId}'", NotFound: true);
            case AcknowledgeAlert acknowledge:
                if (!_farm.Alerts.TryGetValue(acknowledge.AlertId, out var alert))
                {
                    return new CommandRefused($"no alert '{acknowledge.AlertId}'", NotFound: true);
                }

                _farm = _farm with { Alerts = _farm.Alerts.SetItem(alert.Id, alert with { Acknowledged = true, AcknowledgedBy = acknowledge.By }) };
                return new CommandAccepted($"alert {alert.Id} acknowledged");
            case RefillTower refill:
                return _farm.Towers.ContainsKey(refill.TowerId)
                    ? new CommandAccepted($"tower {refill.TowerId} refilled")
                    : new CommandRefused($"there is no tower '{refill.TowerId}'", NotFound: true);
            default:
                return null;
        }
    }
}
