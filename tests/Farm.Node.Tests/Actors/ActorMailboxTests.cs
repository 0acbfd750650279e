using Farm.Node.Actors;
using Farm.Testing;

namespace Farm.Node.Tests.Actors;

public sealed class ActorMailboxTests
{
    private static readonly SupervisionOptions Supervision = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 2.0, 3, TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Messages_are_handled_in_the_order_sent_one_at_a_time()
    {
        await using var actor = new ProbeActor(ProbeActor.Context(new ManualTimeProvider(), Supervision));
        var sent = Enumerable.Range(1, 200).ToList();
        foreach (var number in sent)
        {
            Assert.True(actor.Tell(new Note(number)));
        }

        actor.Start();
        var handled = await actor.AskAsync<int>(reply => new CountNotes(reply), CancellationToken.None);

        Assert.Equal(200, handled);
        Assert.Equal(sent, actor.Notes);
        Assert.Equal(1, actor.MaxConcurrentSteps);
    }

    [Fact]
    public async Task Stopping_handles_the_queued_messages_then_stops_the_loop()
    {
        await using var actor = new ProbeActor(ProbeActor.Context(new ManualTimeProvider(), Supervision));
        actor.Start();
        for (var number = 1; number <= 5; number++)
        {
            actor.Tell(new Note(number));
        }

        await actor.StopAsync(CancellationToken.None);

        Assert.Equal([1, 2, 3, 4, 5], actor.Notes);
        Assert.Equal(ActorStatus.Stopped, actor.Status);
        Assert.True(actor.Completion.IsCompletedSuccessfully);
        Assert.False(actor.Tell(new Note(6)));
        await actor.ExpectAsync("started");
        for (var number = 1; number <= 5; number++)
        {
            await actor.ExpectAsync($"note {number}");
        }

        await actor.ExpectAsync("stopped");
    }
}
