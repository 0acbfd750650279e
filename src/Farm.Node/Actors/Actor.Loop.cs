namespace Farm.Node.Actors;

public abstract partial class Actor<TMessage>
{
    // A bug in the kernel itself (a throwing logger) must still end the loop visibly, or
    // StopAsync would wait for ever.
    private async Task RunGuardedAsync()
    {
        try
        {
            await RunAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Not swallowed: the exception faults Completion, where the owner sees it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _mailbox.Writer.TryComplete(ex);
            SetStatus(ActorStatus.Stopped);
            _completion.TrySetException(ex);
        }
    }

    // The only place the subclass's steps run, so they never overlap.
    private async Task RunAsync()
    {
        var budget = new RestartBudget(_context.Supervision);
        var token = _abort.Token;
        try
        {
            var failure = await StartStepAsync(token).ConfigureAwait(false);
            while (true)
            {
                if (failure is not null)
                {
                    await StopStepAsync().ConfigureAwait(false);
                    if (!budget.TryTakeRestart(Time.GetUtcNow(), out var backoff))
                    {
                        await GiveUpAsync(budget.RecentRestarts, failure).ConfigureAwait(false);
                        return;
                    }

                    ActorLog.RestartScheduled(Logger, Name, backoff, budget.RecentRestarts);
                    if (!await BackOffAsync(backoff).ConfigureAwait(false))
                    {
                        // Stopped during the back-off: StoppedAsync already ran for this life.
                        Finish(ActorStatus.Stopped);
                        return;
                    }

                    SetStatus(ActorStatus.Running);
                    failure = await StartStepAsync(token).ConfigureAwait(false);
                    continue;
                }

                if (!await _mailbox.Reader.WaitToReadAsync(token).ConfigureAwait(false))
                {
                    break; // completed by StopAsync and drained
                }

                while (failure is null && _mailbox.Reader.TryRead(out var message))
                {
                    failure = await HandleStepAsync(message, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Aborted: fall through to the clean-up.
        }

        await StopStepAsync().ConfigureAwait(false);
        Finish(ActorStatus.Stopped);
    }

    private async Task<Exception?> StartStepAsync(CancellationToken token)
    {
        var failure = await TryStepAsync(StartedAsync, token).ConfigureAwait(false);
        if (failure is null)
        {
            ActorLog.Started(Logger, Name);
        }
        else
        {
            ActorLog.StartFailed(Logger, Name, failure);
        }

        return failure;
    }

    private async Task<Exception?> HandleStepAsync(TMessage message, CancellationToken token)
    {
        var failure = await TryStepAsync(ct => HandleAsync(message, ct), token).ConfigureAwait(false);
        if (failure is not null)
        {
            ActorLog.HandleFailed(Logger, Name, message.GetType().Name, failure);
        }

        return failure;
    }

    private async Task StopStepAsync()
    {
        var failure = await TryStepAsync(_ => StoppedAsync(), CancellationToken.None).ConfigureAwait(false);
        if (failure is not null)
        {
            ActorLog.StopFailed(Logger, Name, failure);
        }
    }

    /// <summary>Runs a step; its exception is the failure to supervise, unless it is our own cancellation.</summary>
    private static async Task<Exception?> TryStepAsync(Func<CancellationToken, Task> step, CancellationToken token)
    {
        try
        {
            await step(token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Catching everything is the supervisor's job: any exception restarts the actor.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ex;
        }
    }

    /// <summary>Waits the back-off on the actor's clock; false if a stop ended the wait.</summary>
    private async Task<bool> BackOffAsync(TimeSpan backoff)
    {
        SetStatus(ActorStatus.Restarting);
        try
        {
            await Task.Delay(backoff, Time, _stopRequested.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (_stopRequested.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task GiveUpAsync(int restarts, Exception lastFailure)
    {
        _mailbox.Writer.TryComplete();
        SetStatus(ActorStatus.GaveUp);
        ActorLog.GaveUp(Logger, Name, restarts, _context.Supervision.Window, lastFailure);
        if (_context.OnGaveUp is { } onGaveUp)
        {
            var failure = await TryStepAsync(_ => onGaveUp(new ActorGaveUp(Name, restarts, lastFailure)), CancellationToken.None).ConfigureAwait(false);
            if (failure is not null)
            {
                ActorLog.GaveUpHandlerFailed(Logger, Name, failure);
            }
        }

        _completion.TrySetResult();
    }

    private void Finish(ActorStatus status)
    {
        _mailbox.Writer.TryComplete();
        SetStatus(status);
        ActorLog.Stopped(Logger, Name);
        _completion.TrySetResult();
    }
}
