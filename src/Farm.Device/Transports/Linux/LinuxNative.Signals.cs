using System.Runtime.InteropServices;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// Holding signals off the calling thread around a native call that cannot take them. libiscsi's
/// synchronous calls wait in poll(2), which a signal handler always interrupts (EINTR, SA_RESTART
/// or not), and libiscsi ends the call there with "Poll failed", the session lost. This process
/// has signal handlers (.NET's SIGCHLD handler, for one, whenever a child process ends), and a
/// process-directed signal goes to any thread that does not block it: under the tests' load a DVD
/// burn through tgt lost its session in SET STREAMING this way (CI, 2026-12-03). With the signals
/// blocked on the calling thread the kernel hands them to another thread, or keeps them pending
/// until the mask is restored. The GC does not signal a thread inside a P/Invoke (it runs in
/// preemptive mode), so the runtime is not held up.
/// </summary>
internal static unsafe partial class LinuxNative
{
    private const int SignalBlock = 0;   // SIG_BLOCK, bits/sigaction.h
    private const int SignalSetMask = 2; // SIG_SETMASK

    [LibraryImport(LibC, EntryPoint = "sigfillset")]
    private static partial int FillSignalSet(SignalSet* set);

    [LibraryImport(LibC, EntryPoint = "pthread_sigmask")]
    private static partial int ThreadSignalMask(int how, SignalSet* set, SignalSet* previous);

    /// <summary>Blocks every signal on the calling thread until the result is disposed (on the same thread).</summary>
    public static SignalsHeld HoldSignals()
    {
        SignalSet all;
        SignalSet previous;
        _ = FillSignalSet(&all);
        return ThreadSignalMask(SignalBlock, &all, &previous) == 0
            ? new SignalsHeld(previous)
            : throw new InvalidOperationException("pthread_sigmask refused to block the calling thread's signals");
    }

    /// <summary>The calling thread's signals held; disposing restores its mask (pending signals are delivered then).</summary>
    public readonly ref struct SignalsHeld(SignalSet previous)
    {
        private readonly SignalSet _previous = previous;

        public void Dispose()
        {
            var previous = _previous;
            _ = ThreadSignalMask(SignalSetMask, &previous, null);
        }
    }

    /// <summary>glibc's <c>sigset_t</c>: 1,024 bits (bits/types/__sigset_t.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SignalSet
    {
        private fixed ulong _bits[16];
    }
}
