using Farm.Node.Recording;
using static Farm.Node.Recording.RecorderState;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// The drive's state machine, pair by pair: the specification below is written out independently
/// of <see cref="RecorderTransitions"/>, and every one of the 12 x 12 pairs is checked against it,
/// so adding or dropping a transition in the code without meaning to fails a test.
/// </summary>
public sealed class RecorderTransitionsTests
{
    private static readonly Dictionary<RecorderState, RecorderState[]> Specification = new()
    {
        [Offline] = [Idle, Faulted, Maintenance, Paused, Unloading, Preparing],
        [Idle] = [Loading, Maintenance, Paused, Offline, Faulted],
        [Loading] = [Preparing, Idle, Paused, Unloading, Faulted, FetchingImage],
        [FetchingImage] = [Loading, Idle, Faulted],
        [Preparing] = [Writing, Unloading, Faulted],
        [Writing] = [Closing, Unloading, Faulted],
        [Closing] = [Verifying, Unloading, Faulted],
        [Verifying] = [Unloading, Faulted],
        [Unloading] = [Idle, Maintenance, Paused, Faulted],
        [Faulted] = [Offline, Maintenance],
        [Maintenance] = [Idle, Paused, Offline, Faulted],
        [Paused] = [Idle, Unloading, Maintenance, Offline, Faulted],
    };

    public static TheoryData<RecorderState, RecorderState, bool> AllPairs()
    {
        var data = new TheoryData<RecorderState, RecorderState, bool>();
        foreach (var from in Enum.GetValues<RecorderState>())
        {
            foreach (var to in Enum.GetValues<RecorderState>())
            {
                data.Add(from, to, Specification[from].Contains(to));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void A_transition_is_allowed_exactly_when_the_specification_lists_it(RecorderState from, RecorderState to, bool allowed)
    {
        Assert.Equal(allowed, RecorderTransitions.IsAllowed(from, to));
    }

    [Fact]
    public void The_table_lists_nothing_beyond_the_specification_and_no_state_stays_in_place()
    {
        Assert.Equal(Specification.Sum(s => s.Value.Length), RecorderTransitions.All.Count);
        Assert.DoesNotContain(RecorderTransitions.All, t => t.From == t.To);
    }

    [Fact]
    public void Every_state_can_be_reached_from_offline_and_can_reach_idle_again()
    {
        var states = Enum.GetValues<RecorderState>();
        foreach (var state in states)
        {
            Assert.True(Reachable(Offline, state), $"{state} cannot be reached from Offline");
            Assert.True(Reachable(state, Idle), $"Idle cannot be reached from {state}");
        }
    }

    [Fact]
    public void A_burn_only_starts_from_idle_and_every_busy_state_can_fault()
    {
        // Loading is entered from Idle (a new burn) or, within the same burn, once its image was fetched.
        Assert.Equal([Idle, FetchingImage], Enum.GetValues<RecorderState>().Where(s => RecorderTransitions.IsAllowed(s, Loading)));
        Assert.Equal([Loading], Enum.GetValues<RecorderState>().Where(s => RecorderTransitions.IsAllowed(s, FetchingImage)));
        foreach (var busy in new[] { Loading, FetchingImage, Preparing, Writing, Closing, Verifying, Unloading })
        {
            Assert.True(RecorderTransitions.IsAllowed(busy, Faulted), $"{busy} -> Faulted");
            Assert.False(RecorderTransitions.IsAllowed(busy, Offline), $"{busy} -> Offline skips the crash");
        }
    }

    private static bool Reachable(RecorderState from, RecorderState to)
    {
        var seen = new HashSet<RecorderState> { from };
        var queue = new Queue<RecorderState>([from]);
        while (queue.TryDequeue(out var state))
        {
            if (state == to)
            {
                return true;
            }

            foreach (var next in RecorderTransitions.All.Where(t => t.From == state).Select(t => t.To))
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return false;
    }
}
