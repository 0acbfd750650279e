using Farm.Node.Actors;
using Farm.Testing;

namespace Farm.Node.Tests.Actors;

public sealed class ActorSupervisionTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static readonly SupervisionOptions Supervision = new(
        MinBackoff: TimeSpan.FromSeconds(2),
        MaxBackoff: TimeSpan.FromSeconds(5),
        Factor: 2.0,
        MaxRestarts: 3,
        Window: TimeSpan.FromMinutes(1));

    [Fact]
    public async Task A_failing_handler_restarts_the_actor_after_the_back_off_and_the_next_message_is_handled()
    {
        var time = new ManualTimeProvider();
        await using var actor = new ProbeActor(ProbeActor.Context(time, Supervision));
        actor.Start();
        await actor.ExpectAsync("started");

        actor.Tell(new Explode("write error"));
        actor.Tell(new Note(1));
        await actor.ExpectAsync("exploding");
        await actor.ExpectAsync("stopped");
        await time.WaitForArmedTimersAsync(1, new CancellationTokenSource(Guard).Token);

        Assert.Equal(Supervision.MinBackoff, time.TimeUntilNextTimer);
        time.Advance(Supervision.MinBackoff - TimeSpan.FromTicks(1));
        Assert.Equal(ActorStatus.Restarting, actor.Status);
        Assert.False(actor.Steps.Reader.TryPeek(out _));

        time.Advance(TimeSpan.FromTicks(1));
        await actor.ExpectAsync("started");
        await actor.ExpectAsync("note 1");
        Assert.Equal([1], actor.Notes);
    }

    [Fact]
    public async Task Back_off_grows_by_the_factor_up_to_the_maximum()
    {
        var time = new ManualTimeProvider();
        await using var actor = new ProbeActor(ProbeActor.Context(time, Supervision));
        actor.Start();
        await actor.ExpectAsync("started");
        var waits = new List<TimeSpan?>();

        for (var failure = 0; failure < 3; failure++)
        {
            actor.Tell(new Explode("write error"));
            await time.WaitForArmedTimersAsync(1, new CancellationTokenSource(Guard).Token);
            waits.Add(time.TimeUntilNextTimer);
            time.Advance(time.TimeUntilNextTimer!.Value);
            await actor.ExpectAsync("exploding");
            await actor.ExpectAsync("stopped");
            await actor.ExpectAsync("started");
        }

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)], waits);
    }

    [Fact]
    public async Task A_failing_start_counts_as_a_failure_and_is_retried_after_the_back_off()
    {
        var time = new ManualTimeProvider();
        await using var actor = new ProbeActor(ProbeActor.Context(time, Supervision), failingStarts: 1);
        actor.Tell(new Note(1));
        actor.Start();
        await actor.ExpectAsync("start failed");
        await actor.ExpectAsync("stopped");
        await time.WaitForArmedTimersAsync(1, new CancellationTokenSource(Guard).Token);

        time.Advance(Supervision.MinBackoff);

        await actor.ExpectAsync("started");
        await actor.ExpectAsync("note 1");
    }

    [Fact]
    public async Task Too_many_restarts_within_the_window_make_the_supervisor_give_up_and_report_it()
    {
        var time = new ManualTimeProvider();
        var gaveUp = new TaskCompletionSource<ActorGaveUp>(TaskCreationOptions.RunContinuationsAsynchronously);
        var context = ProbeActor.Context(time, Supervision) with
        {
            OnGaveUp = report =>
            {
                gaveUp.SetResult(report);
                return Task.CompletedTask;
            },
        };
        await using var actor = new ProbeActor(context);
        actor.Start();

        for (var restart = 1; restart <= Supervision.MaxRestarts; restart++)
        {
            actor.Tell(new Explode($"failure {restart}"));
            await time.WaitForArmedTimersAsync(1, new CancellationTokenSource(Guard).Token);
            time.Advance(time.TimeUntilNextTimer!.Value);
        }

        actor.Tell(new Explode("the last straw"));
        var report = await gaveUp.Task.WaitAsync(Guard);

        Assert.Equal(("probe", 3, "the last straw"), (report.ActorName, report.RecentRestarts, report.LastFailure.Message));
        await actor.Completion.WaitAsync(Guard);
        Assert.Equal(ActorStatus.GaveUp, actor.Status);
        Assert.False(actor.Tell(new Note(1)));
    }

    [Fact]
    public async Task Restarts_older_than_the_window_no_longer_count()
    {
        var time = new ManualTimeProvider();
        var context = ProbeActor.Context(time, Supervision with { MaxRestarts = 1 });
        await using var actor = new ProbeActor(context);
        actor.Start();

        actor.Tell(new Explode("first"));
        await time.WaitForArmedTimersAsync(1, new CancellationTokenSource(Guard).Token);
        time.Advance(Supervision.Window);
        actor.Tell(new Explode("second, a window later"));
        await time.WaitForArmedTimersAsync(1, new CancellationTokenSource(Guard).Token);

        Assert.Equal(ActorStatus.Restarting, actor.Status);
        Assert.Equal(Supervision.MinBackoff, time.TimeUntilNextTimer);
    }
}
