using System.Threading.Channels;
using Farm.Node.Actors;
using Farm.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Node.Tests.Actors;

public abstract record ProbeMessage;

/// <summary>Record the number as handled.</summary>
public sealed record Note(int Number) : ProbeMessage;

/// <summary>Throw from the handler.</summary>
public sealed record Explode(string Why) : ProbeMessage;

/// <summary>Reply with how many notes were handled so far.</summary>
public sealed record CountNotes(TaskCompletionSource<int> Reply) : ProbeMessage;

/// <summary>
/// An actor that reports every step it takes ("started", "stopped", "note 3") on a channel the
/// test reads, so the test waits for exactly the step it expects instead of sleeping.
/// </summary>
internal sealed class ProbeActor(ActorContext context, int failingStarts = 0) : Actor<ProbeMessage>("probe", context)
{
    private readonly List<int> _notes = [];
    private int _startsToFail = failingStarts;
    private int _inside;

    public Channel<string> Steps { get; } = Channel.CreateUnbounded<string>();

    /// <summary>The most steps ever running at once; an actor must keep this at 1.</summary>
    public int MaxConcurrentSteps { get; private set; }

    public IReadOnlyList<int> Notes => _notes;

    public static ActorContext Context(ManualTimeProvider time, SupervisionOptions supervision) =>
        new(time, NullLogger.Instance, supervision);

    public async Task ExpectAsync(string step)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(step, await Steps.Reader.ReadAsync(guard.Token));
    }

    protected override async Task StartedAsync(CancellationToken cancellationToken)
    {
        await EnterAsync();
        try
        {
            if (_startsToFail > 0)
            {
                _startsToFail--;
                Steps.Writer.TryWrite("start failed");
                throw new InvalidOperationException("device not ready");
            }

            Steps.Writer.TryWrite("started");
        }
        finally
        {
            Leave();
        }
    }

    protected override async Task HandleAsync(ProbeMessage message, CancellationToken cancellationToken)
    {
        await EnterAsync();
        try
        {
            switch (message)
            {
                case Note note:
                    _notes.Add(note.Number);
                    Steps.Writer.TryWrite($"note {note.Number}");
                    break;
                case Explode explode:
                    Steps.Writer.TryWrite("exploding");
                    throw new InvalidOperationException(explode.Why);
                case CountNotes count:
                    count.Reply.SetResult(_notes.Count);
                    break;
            }
        }
        finally
        {
            Leave();
        }
    }

    protected override Task StoppedAsync()
    {
        Steps.Writer.TryWrite("stopped");
        return Task.CompletedTask;
    }

    // Yields inside every step, so two steps running at once would show in MaxConcurrentSteps.
    private async Task EnterAsync()
    {
        var inside = Interlocked.Increment(ref _inside);
        MaxConcurrentSteps = Math.Max(MaxConcurrentSteps, inside);
        await Task.Yield();
    }

    private void Leave() => Interlocked.Decrement(ref _inside);
}
