using System.Collections.Concurrent;
using Farm.Device.Errors;
using Farm.Messages;

namespace Farm.Node.Recording;

/// <summary>
/// Aborting an attempt the controller asked to stop (a job cancelled with abort). A burn occupies
/// the actor's loop for minutes, so the order cannot wait in the mailbox: it arrives from outside
/// the loop and cancels the running attempt's token, or marks an attempt still queued so it is
/// reported aborted without loading a disc. Only until the disc verified: a good disc on its way
/// to the output bin is not thrown away.
/// </summary>
public sealed partial class RecorderActor
{
    private readonly ConcurrentDictionary<(string JobId, int Copy, int Attempt), string> abortRequests = new();
    private readonly Lock abortLock = new();
    private (string JobId, int Copy, int Attempt)? abortableAttempt;
    private CancellationTokenSource? abortableToken;

    /// <summary>
    /// Stops that attempt: at once if it is being burned (the disc goes to the reject bin), or
    /// before it starts if it is still queued. Thread-safe; an attempt that already verified, or
    /// that this drive never gets, is not affected.
    /// </summary>
    public void RequestAbort(string jobId, int copy, int attempt, string reason)
    {
        var key = (jobId, copy, attempt);
        abortRequests[key] = reason;
        CancellationTokenSource? running;
        lock (abortLock)
        {
            running = abortableAttempt == key ? abortableToken : null;
        }

        // Not under the lock, and not on the caller's thread: the token's callbacks unwind the
        // burn, which must not run inline on the node's journal tail.
        try
        {
            _ = running?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended between the look and the cancel: nothing is left to abort.
        }
    }

    private bool AbortWasRequested(AttemptInfo attempt, out string reason) =>
        abortRequests.TryGetValue((attempt.JobId, attempt.Copy, attempt.Attempt), out reason!);

    /// <summary>Makes <paramref name="attempt"/> the one <see cref="RequestAbort"/> cancels, through <paramref name="token"/>.</summary>
    private void BeginAbortable(AttemptInfo attempt, CancellationTokenSource token)
    {
        lock (abortLock)
        {
            abortableAttempt = (attempt.JobId, attempt.Copy, attempt.Attempt);
            abortableToken = token;
            if (abortRequests.ContainsKey(abortableAttempt.Value))
            {
                _ = token.CancelAsync(); // the order came in between the check at the start and now
            }
        }
    }

    /// <summary>From here on the attempt runs to its end (its disc verified, or it is over); before its token is disposed.</summary>
    private void EndAbortable()
    {
        lock (abortLock)
        {
            abortableAttempt = null;
            abortableToken = null;
        }
    }

    /// <summary>The attempt's own abort token cut it short (not a shutdown of the node: that leaves the disc to recovery).</summary>
    private static bool IsAbort(Exception cut, CancellationTokenSource abort, CancellationToken shutdown) =>
        abort.IsCancellationRequested && !shutdown.IsCancellationRequested
        && (cut is OperationCanceledException || (cut is DeviceException device && device.Error.Error == ImapiErrors.RequestCancelled));

    private static FailureReason Aborted(string phase, long lastWritten, string reason) => new(
        ImapiErrors.RequestCancelled.Name,
        ImapiErrors.RequestCancelled.HResult,
        Disposition.FailDisc,
        lastWritten >= 0
            ? $"aborted while {phase} at LBA {lastWritten}: {reason}"
            : $"aborted while {phase}, before any sector was written: {reason}");
}
