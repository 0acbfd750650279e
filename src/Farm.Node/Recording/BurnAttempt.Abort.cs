using Farm.Device.Errors;
using Farm.Messages;

namespace Farm.Node.Recording;

/// <summary>
/// Aborting an attempt the controller asked to stop (a job cancelled with abort). The order reaches
/// the recorder as an ordinary message and its worker passes it here, from the worker's thread: it
/// cancels the running attempt's token. Only until the disc verified: a good disc on its way to the
/// output bin is not thrown away.
/// </summary>
internal sealed partial class BurnAttempt
{
    private readonly Lock _abortLock = new();
    private (string JobId, int Copy, int Attempt)? _abortableAttempt;
    private CancellationTokenSource? _abortableToken;
    private (string JobId, int Copy, int Attempt)? _abortedAttempt;
    private string? _abortReason;

    private string? AbortReason
    {
        get
        {
            lock (_abortLock)
            {
                return _abortReason;
            }
        }
    }

    /// <summary>Stops that attempt if this episode is burning it; thread-safe; an attempt past its verify is not affected.</summary>
    public void RequestAbort((string JobId, int Copy, int Attempt) key, string reason)
    {
        CancellationTokenSource? running;
        lock (_abortLock)
        {
            _abortedAttempt = key;
            _abortReason = reason;
            running = _abortableAttempt == key ? _abortableToken : null;
        }

        try
        {
            // Not under the lock: the token's callbacks unwind the burn.
            _ = running?.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended between the look and the cancel: nothing is left to abort.
        }
    }

    /// <summary>Makes <paramref name="attempt"/> the one <see cref="RequestAbort"/> cancels, through <paramref name="token"/>.</summary>
    private void BeginAbortable(AttemptInfo attempt, CancellationTokenSource token)
    {
        lock (_abortLock)
        {
            _abortableAttempt = attempt.Key;
            _abortableToken = token;
            if (_abortedAttempt == attempt.Key)
            {
                _ = token.CancelAsync(); // the order came in before the attempt got here
            }
        }
    }

    /// <summary>From here on the attempt runs to its end (its disc verified, or it is over); before its token is disposed.</summary>
    private void EndAbortable()
    {
        lock (_abortLock)
        {
            _abortableAttempt = null;
            _abortableToken = null;
        }
    }

    /// <summary>The attempt's own abort token cut it short (not a shutdown of the node: that leaves the disc to recovery).</summary>
    private static bool IsAbort(Exception cut, CancellationTokenSource abort, CancellationToken shutdown) =>
        abort.IsCancellationRequested && !shutdown.IsCancellationRequested
        && (cut is OperationCanceledException || (cut is DeviceException device && device.Error.Error == ImapiErrors.RequestCancelled));

    /// <summary>The failure reason of an aborted attempt, with where it got to.</summary>
    internal static FailureReason Aborted(string phase, long lastWritten, string reason) => new(
        ImapiErrors.RequestCancelled.Name,
        ImapiErrors.RequestCancelled.HResult,
        Disposition.FailDisc,
        lastWritten >= 0
            ? $"aborted while {phase} at LBA {lastWritten}: {reason}"
            : $"aborted while {phase}, before any sector was written: {reason}");
}
