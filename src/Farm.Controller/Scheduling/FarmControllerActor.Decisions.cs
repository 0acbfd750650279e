using Akka.Actor;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Scheduling;

// Decisions: what the scheduler decides is persisted first (in the same write as the events it
// was decided on), then sent; what a drive has not acknowledged is sent again (drives take each attempt once, however often it arrives).
public sealed partial class FarmControllerActor
{
    private readonly Dictionary<(string JobId, int Copy, int Attempt), DateTimeOffset> _lastSent = [];

    /// <summary>Decision passes folded into one write at most; the rest (none seen in practice) go in the next write.</summary>
    private const int DecisionPassesPerWrite = 8;

    /// <summary>Persists and sends what the scheduler decides on the state now (nothing while recovering).</summary>
    private void Decide() => PersistAndDecide([]);

    /// <summary>
    /// The scheduler's decisions on the state with <paramref name="events"/> applied, pass after
    /// pass (outcomes first, then assignments on the state with the outcomes) until it decides
    /// nothing more; settled is false when the passes were cut short. The state here is a copy:
    /// the actor's own state changes only as the journal confirms each event, and it applies the
    /// same events in the same order, so it ends where this copy did.
    /// </summary>
    private (List<IFarmEvent> Decisions, bool Settled) DecisionsAfter(IReadOnlyList<IFarmEvent> events)
    {
        var decisions = new List<IFarmEvent>();
        if (_startedDeciding == DateTimeOffset.MaxValue)
        {
            return (decisions, true); // still recovering
        }

        var state = _state;
        var ordering = LastSequenceNr;
        foreach (var e in events)
        {
            state = FarmProjection.Apply(state, e, ++ordering, StoredAt(e));
        }

        var now = _time.GetUtcNow();
        for (var pass = 0; pass < DecisionPassesPerWrite; pass++)
        {
            var next = Scheduler.Decide(state, _options, now, _startedDeciding);
            if (next.Count == 0)
            {
                return (decisions, true);
            }

            foreach (var decision in next)
            {
                state = FarmProjection.Apply(state, decision, ++ordering);
            }

            decisions.AddRange(next);
        }

        return (decisions, false);
    }

    private void OnTick()
    {
        var now = _time.GetUtcNow();
        ForgetSettledSends();
        foreach (var nodeId in _links.Keys)
        {
            Resend(nodeId, now - _options.ResendAfter);
        }

        // The silent nodes' loss and what is decided on it, and what time alone made due, in one
        // write: a second decision here would be taken on the state without the first write's
        // events and decisions, and take them again (docs/RELIABILITY.md §4, soak 3).
        PersistAndDecide(SilentNodesLost(now));
    }

    private void Send(IFarmEvent decision)
    {
        switch (decision)
        {
            case CopyAssigned assigned when _links.TryGetValue(assigned.NodeId, out var link):
                link.Node.Tell(assigned);
                _lastSent[(assigned.JobId, assigned.Copy, assigned.Attempt)] = _time.GetUtcNow();
                break;
            case CopyAbortRequested abort when _links.TryGetValue(abort.NodeId, out var link):
                link.Node.Tell(abort);
                _lastSent[(abort.JobId, abort.Copy, -abort.Attempt)] = _time.GetUtcNow();
                break;
        }
    }

    /// <summary>
    /// Sends a node what it has not acknowledged: assignments its drives have not accepted yet (or refused) and
    /// aborts of attempts still in flight (only those last sent before <paramref name="sentBefore"/>;
    /// all of them when it just registered).
    /// </summary>
    private void Resend(string nodeId, DateTimeOffset? sentBefore = null)
    {
        foreach (var assigned in Scheduler.Unaccepted(_state, nodeId))
        {
            if (Due((assigned.JobId, assigned.Copy, assigned.Attempt), sentBefore))
            {
                Send(assigned);
            }
        }

        foreach (var abort in Scheduler.AbortsInFlight(_state, nodeId))
        {
            if (Due((abort.JobId, abort.Copy, -abort.Attempt), sentBefore))
            {
                Send(abort);
            }
        }
    }

    /// <summary>Drops the send times of attempts no longer in flight, so the table holds what is in flight, not every attempt ever sent.</summary>
    private void ForgetSettledSends()
    {
        foreach (var key in _lastSent.Keys.ToList())
        {
            var attempt = Math.Abs(key.Attempt); // aborts are keyed by the negated attempt
            if (!_state.Jobs.TryGetValue(key.JobId, out var job) || !job.CopyStates.TryGetValue(key.Copy, out var copy) || copy.Status != CopyStatus.Assigned || copy.Attempt != attempt)
            {
                _lastSent.Remove(key);
            }
        }
    }

    private bool Due((string, int, int) key, DateTimeOffset? sentBefore) =>
        sentBefore is not { } before || !_lastSent.TryGetValue(key, out var at) || at <= before;

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Decided {Decision}")]
    private partial void LogDecision(IFarmEvent decision);
}
